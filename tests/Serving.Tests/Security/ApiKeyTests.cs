using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using SpeechServe.Serving.Tests.Streaming;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Security;

/// <summary>
/// <c>/v1</c> with API keys configured: every configured key opens it (REST and the WebSocket, by header or,
/// on the stream only, by <c>api_key</c>), the admin key does not, an API key does not open <c>/admin</c>,
/// and health stays open.
/// </summary>
[Collection(SecuredServerGroup.Name)]
public sealed class ApiKeyTests(SecuredServerFixture server)
{
    [Theory]
    [InlineData(SecuredServerFixture.KeyA)]
    [InlineData(SecuredServerFixture.KeyB)]
    public async Task Models_WithAConfiguredKey_Lists(string key)
    {
        using var client = server.CreateClient(key);

        using var response = await client.GetAsync(new Uri("/v1/models", UriKind.Relative));

        using var document = JsonDocument.Parse(await ResponseAssert.OkAsync(response));
        Assert.Contains(document.RootElement.GetProperty("data").EnumerateArray(), m => m.GetProperty("id").GetString() == RandomModelRepository.ModelId);
    }

    [Fact]
    public async Task Models_SchemeInLowerCase_Lists()
    {
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/models", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Authorization", "bearer " + SecuredServerFixture.KeyA);

        using var response = await client.SendAsync(request);

        await ResponseAssert.OkAsync(response);
    }

    [Fact]
    public async Task Transcription_WithKey_Transcribes()
    {
        using var client = server.CreateClient(SecuredServerFixture.KeyA);

        using var response = await TranscriptionUpload.PostAsync(client, SecuredServerFixture.Wav, "medical", "clip.wav", ("response_format", "verbose_json"));

        using var document = JsonDocument.Parse(await ResponseAssert.OkAsync(response));
        Assert.Equal("medical", document.RootElement.GetProperty("adapter").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Admin_WithAdminKey_Lists()
    {
        using var client = server.CreateClient(SecuredServerFixture.AdminKey);

        using var response = await client.GetAsync(new Uri("/admin/adapters", UriKind.Relative));

        await ResponseAssert.OkAsync(response);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/openapi/v1.json")]
    public async Task OpenEndpoints_WithoutKey_Answer200(string path)
    {
        using var client = server.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        await ResponseAssert.OkAsync(response);
    }

    [Fact]
    public async Task Stream_WithoutKey_RefusedWith401BeforeTheUpgrade()
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(server.StreamUri("sample_rate=16000"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);
    }

    [Fact]
    public async Task Stream_KeyInHeader_Streams()
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + SecuredServerFixture.KeyA);
        await socket.ConnectAsync(server.StreamUri("sample_rate=16000"), CancellationToken.None);

        var outcome = await StreamSilenceAsync(socket);

        Assert.Equal(WebSocketCloseStatus.NormalClosure, outcome.CloseStatus);
        Assert.Equal("done", outcome.Messages[^1].Type);
    }

    [Fact]
    public async Task Stream_KeyInQuery_Streams()
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(server.StreamUri($"sample_rate=16000&api_key={SecuredServerFixture.KeyB}"), CancellationToken.None);

        var outcome = await StreamSilenceAsync(socket);

        Assert.Equal(WebSocketCloseStatus.NormalClosure, outcome.CloseStatus);
        Assert.Equal("done", outcome.Messages[^1].Type);
    }

    [Fact]
    public async Task Stream_AdminKeyInQuery_RefusedWith401()
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(
            server.StreamUri($"api_key={SecuredServerFixture.AdminKey}"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);
    }

    private static async Task<StreamOutcome> StreamSilenceAsync(ClientWebSocket socket)
    {
        var receiving = StreamClient.ReceiveAllAsync(socket);
        await socket.SendAsync(new byte[16_000], WebSocketMessageType.Binary, true, CancellationToken.None);
        await StreamClient.SendTextAsync(socket, "{\"type\":\"end\"}");
        return await receiving;
    }
}
