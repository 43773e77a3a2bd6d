using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SpeechServe.Serving.Tests;

public sealed class HealthEndpointsTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Fact]
    public async Task Healthz_WhenStarted_AnswersOk()
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"status\":\"ok\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readyz_NoModelRepository_AnswersUnavailableSayingWhy()
    {
        var empty = Directory.CreateTempSubdirectory("speechserve-nomodels-").FullName;
        try
        {
            using var withoutModels = factory.WithWebHostBuilder(b => b.UseSetting("Serving:ModelsPath", empty));
            using var client = withoutModels.CreateClient();

            var body = "";
            for (var attempt = 0; attempt < 100 && !body.Contains("failed", StringComparison.Ordinal); attempt++)
            {
                using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                body = await response.Content.ReadAsStringAsync();
                await Task.Delay(50);
            }

            Assert.Contains("\"status\":\"failed\"", body, StringComparison.Ordinal);
            Assert.Contains("No model repository", body, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }
}
