using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Security;

/// <summary>Without configured API keys (the default), <c>/v1</c> is open: no key, or any key, gets in.</summary>
[Collection(ServingServerDefinition.Name)]
public sealed class OpenAccessTests(ServingServerFixture server)
{
    [Theory]
    [InlineData(null)]
    [InlineData("Bearer sk-anything")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task Models_NoKeysConfigured_OpenWhateverIsSent(string? authorization)
    {
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/models", UriKind.Relative));
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await client.SendAsync(request);

        await ResponseAssert.OkAsync(response, server);
    }
}
