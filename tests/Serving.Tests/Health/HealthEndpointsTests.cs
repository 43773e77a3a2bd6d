using System.Net;
using System.Text.Json;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Health;

/// <summary><c>/healthz</c> and <c>/readyz</c> on the real server, which the fixture waited to be ready.</summary>
[Collection(ServingServerDefinition.Name)]
public sealed class HealthEndpointsTests(ServingServerFixture server)
{
    [Theory]
    [InlineData("/healthz", "ok")]
    [InlineData("/readyz", "ready")]
    public async Task Probe_ModelsLoaded_AnswersOk(string path, string status)
    {
        using var client = server.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        using var document = JsonDocument.Parse(await ResponseAssert.StatusAsync(response, HttpStatusCode.OK, server));
        Assert.Equal(status, document.RootElement.GetProperty("status").GetString());
        Assert.False(document.RootElement.TryGetProperty("detail", out _));
    }

    [Fact]
    public async Task Healthz_Body_IsExactlyTheStatusWordAsJson()
    {
        using var client = server.CreateClient();

        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal("{\"status\":\"ok\"}", await ResponseAssert.StatusAsync(response, HttpStatusCode.OK, server));
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
    }

    [Fact]
    public async Task Readyz_ModelsLoaded_ListsEachModelWithItsExecutionProvider()
    {
        using var client = server.CreateClient();

        using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

        using var document = JsonDocument.Parse(await ResponseAssert.StatusAsync(response, HttpStatusCode.OK, server));
        var model = Assert.Single(document.RootElement.GetProperty("models").EnumerateArray());
        Assert.Equal(RandomModelRepository.ModelId, model.GetProperty("id").GetString());
        Assert.Equal("cpu", model.GetProperty("execution_provider").GetString());
    }
}
