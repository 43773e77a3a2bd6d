using System.Net;
using System.Text.Json;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Security;

/// <summary>
/// Each credential or request-size attack gets its documented 4xx, never a 500, a hang or a crash, and the
/// server keeps serving: a request with a key succeeds afterwards and <c>/healthz</c> stays 200.
/// </summary>
[Collection(SecuredServerGroup.Name)]
public sealed class SecurityBadInputTests(SecuredServerFixture server)
{
    public static TheoryData<string> Cases => [.. SecurityBadInputCases.All.Keys];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Request_Attack_AnswersDocumentedErrorAndKeepsServing(string name)
    {
        var attack = SecurityBadInputCases.All[name];

        if (attack.Raw is { } raw)
        {
            var (status, head) = await RawHttp.SendAsync(server.BaseAddress, raw(server));
            Assert.True(status == attack.Status, $"{name}: expected {attack.Status}, got:\n{head}\nServer output:\n{server.Server.Output}");
            Assert.DoesNotContain("101 Switching Protocols", head, StringComparison.Ordinal);
        }
        else
        {
            using var client = server.CreateClient();
            using var response = await attack.Send!(server, client);
            if (attack.Answer == SecurityAnswer.OpenAiError)
            {
                await ResponseAssert.OpenAiErrorAsync(response, (HttpStatusCode)attack.Status, attack.Code!);
                Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            }
            else
            {
                var body = await ResponseAssert.StatusAsync(response, (HttpStatusCode)attack.Status);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                using var problem = JsonDocument.Parse(body);
                Assert.Equal(attack.Code, problem.RootElement.GetProperty("code").GetString());
            }
        }

        using (var keyed = server.CreateClient(SecuredServerFixture.KeyA))
        using (var models = await keyed.GetAsync(new Uri("/v1/models", UriKind.Relative)))
        {
            await ResponseAssert.OkAsync(models);
        }

        using var plain = server.CreateClient();
        using var health = await plain.GetAsync(new Uri("/healthz", UriKind.Relative));
        await ResponseAssert.OkAsync(health);
        server.Server.AssertRunning();
    }

    [Fact]
    public async Task Unauthorised_Message_SaysHowToAuthenticateWithoutEchoingTheKey()
    {
        using var client = server.CreateClient("sk-presented-but-wrong");

        using var response = await client.GetAsync(new Uri("/v1/models", UriKind.Relative));

        var error = await ResponseAssert.OpenAiErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_api_key");
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains("Authorization: Bearer <key>", message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-presented-but-wrong", message, StringComparison.Ordinal);
        Assert.DoesNotContain("api_key=", message, StringComparison.Ordinal);
    }
}
