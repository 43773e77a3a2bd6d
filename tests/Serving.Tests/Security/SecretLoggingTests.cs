using System.Net.WebSockets;
using SpeechServe.Serving.Tests.Streaming;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Security;

/// <summary>
/// No key reaches the server's console: neither a configured API key, nor the admin key, nor a wrong key a
/// client presented, whether the request was let in or refused, over REST, admin and the WebSocket (header
/// and query). The server logs at Debug (see <see cref="SecuredServerFixture"/>).
/// </summary>
[Collection(SecuredServerGroup.Name)]
public sealed class SecretLoggingTests(SecuredServerFixture server)
{
    private const string WrongKey = "sk-wrong-but-secret-31337";

    [Fact]
    public async Task ServerOutput_AfterAuthorisedAndRefusedRequests_HoldsNoKey()
    {
        var models = new Uri("/v1/models", UriKind.Relative);
        var admin = new Uri("/admin/adapters", UriKind.Relative);
        foreach (var key in (string[])[SecuredServerFixture.KeyA, SecuredServerFixture.AdminKey, WrongKey])
        {
            using var client = server.CreateClient(key);
            (await client.GetAsync(models)).Dispose();
            (await client.GetAsync(admin)).Dispose();
            (await TranscriptionUpload.PostAsync(client, SecuredServerFixture.Wav, RandomModelRepository.ModelId)).Dispose();
        }

        await StreamAsync($"api_key={SecuredServerFixture.KeyB}", null);
        await StreamAsync($"api_key={WrongKey}", null);
        await StreamAsync(string.Empty, SecuredServerFixture.KeyA);
        await StreamAsync(string.Empty, WrongKey);

        await server.Server.WaitForQuietOutputAsync(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(10));
        var output = server.Server.FullOutput;

        // The requests were logged (so the check below looks at real log lines), but never with a key.
        Assert.Contains("Refused GET /v1/models", output, StringComparison.Ordinal);
        Assert.Contains("Stream opened", output, StringComparison.Ordinal);
        foreach (var secret in (string[])[.. SecuredServerFixture.Secrets, WrongKey])
        {
            Assert.False(output.Contains(secret, StringComparison.Ordinal), $"The server's output holds the key {secret}.");
        }
    }

    private async Task StreamAsync(string query, string? headerKey)
    {
        using var socket = new ClientWebSocket();
        if (headerKey is not null)
        {
            socket.Options.SetRequestHeader("Authorization", "Bearer " + headerKey);
        }

        try
        {
            await socket.ConnectAsync(server.StreamUri(query), CancellationToken.None);
        }
        catch (WebSocketException)
        {
            return;
        }

        var receiving = StreamClient.ReceiveAllAsync(socket);
        await socket.SendAsync(new byte[3200], WebSocketMessageType.Binary, true, CancellationToken.None);
        await StreamClient.SendTextAsync(socket, "{\"type\":\"end\"}");
        await receiving;
    }
}
