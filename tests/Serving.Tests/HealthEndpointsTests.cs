using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SpeechServe.Serving.Tests;

public sealed class HealthEndpointsTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Theory]
    [InlineData("/healthz", "ok")]
    [InlineData("/readyz", "ready")]
    public async Task Probe_WhenStarted_AnswersOk(string path, string status)
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"\"status\":\"{status}\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
