using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Security;

/// <summary>
/// The per-client rate limit of the secured server: a client is its API key when it presents a configured
/// one, otherwise its IP address. The tests make clients of their own with keys and loopback addresses
/// (127.0.0.2 and up) that no other test uses, so each starts with a full bucket.
/// </summary>
[Collection(SecuredServerGroup.Name)]
public sealed class RateLimitTests(SecuredServerFixture server)
{
    private static readonly Uri Models = new("/v1/models", UriKind.Relative);

    [Fact]
    public async Task Key_OverItsPermits_Answers429WithRetryAfterWhileOtherKeysPass()
    {
        using var client = server.CreateClient(SecuredServerFixture.RateKey);

        var (passed, refused) = await SpendUntilRefusedAsync(client);

        // A minute's permits pass; a few more may while the bucket refills during the burst.
        Assert.InRange(passed, SecuredServerFixture.PermitsPerMinute, SecuredServerFixture.PermitsPerMinute + 20);
        await ResponseAssert.OpenAiErrorAsync(refused, HttpStatusCode.TooManyRequests, "rate_limit_exceeded", type: "requests");
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        refused.Dispose();

        using var other = server.CreateClient(SecuredServerFixture.KeyB);
        using var otherResponse = await other.GetAsync(Models);
        await ResponseAssert.OkAsync(otherResponse);
        using var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        await ResponseAssert.OkAsync(health);
    }

    [Fact]
    public async Task Address_MadeUpKeysShareItsBucket_OtherAddressesAndRealKeysPass()
    {
        using var attacker = ClientFrom(IPAddress.Parse("127.0.0.2"));

        // Every request presents a different made-up key: none may open a bucket of its own.
        var (passed, refused) = await SpendUntilRefusedAsync(attacker, i => $"sk-made-up-{i}");

        Assert.InRange(passed, SecuredServerFixture.PermitsPerMinute, SecuredServerFixture.PermitsPerMinute + 20);
        await ResponseAssert.OpenAiErrorAsync(refused, HttpStatusCode.TooManyRequests, "rate_limit_exceeded", type: "requests");
        refused.Dispose();

        using (var neighbour = ClientFrom(IPAddress.Parse("127.0.0.3")))
        using (var response = await neighbour.GetAsync(Models))
        {
            // Its own bucket: refused for the missing key, not for the rate.
            await ResponseAssert.OpenAiErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_api_key");
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, Models))
        {
            request.Headers.Authorization = new("Bearer", SecuredServerFixture.KeyA);
            using var response = await attacker.SendAsync(request);
            await ResponseAssert.OkAsync(response);
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/admin/adapters", UriKind.Relative)))
        {
            request.Headers.Authorization = new("Bearer", SecuredServerFixture.AdminKey);
            using var response = await attacker.SendAsync(request);
            await ResponseAssert.OkAsync(response);
        }
    }

    // Sends up to twice the permits and returns how many passed before the first 429, and that response.
    private static async Task<(int Passed, HttpResponseMessage Refused)> SpendUntilRefusedAsync(HttpClient client, Func<int, string>? key = null)
    {
        for (var i = 0; i < SecuredServerFixture.PermitsPerMinute * 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Models);
            if (key is not null)
            {
                request.Headers.Authorization = new("Bearer", key(i));
            }

            var response = await client.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return (i, response);
            }

            response.Dispose();
        }

        Assert.Fail($"No 429 after {SecuredServerFixture.PermitsPerMinute * 2} requests.");
        throw new InvalidOperationException();
    }

    private HttpClient ClientFrom(IPAddress local)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(local, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(1) };
    }
}
