using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using SpeechServe.Serving.Models;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Metrics;

/// <summary>
/// <c>/metrics</c> of fresh in-process servers (<see cref="WebApplicationFactory{TEntryPoint}"/>, no model loaded):
/// exact exposition lines, and a registry per server rather than one per process.
/// </summary>
public sealed class MetricsRegistryTests : IDisposable
{
    private readonly ScratchDirectory _emptyModels = new("speechserve-empty-models");

    [Fact]
    public async Task Metrics_AfterOneRequest_ExposesTheCounterLineWithItsLabelsInOrderAndValueOne()
    {
        await using var factory = Factory();
        using var client = factory.CreateClient();
        await GetHealthzAsync(client);

        var scrape = await MetricsScrape.GetAsync(client);

        Assert.Contains(
            "\nspeechserve_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\",model=\"\"} 1\n",
            scrape.Text,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_TwoServersInOneProcess_EachCountsOnlyItsOwnRequestsAndNoProcessMetrics()
    {
        await using var first = Factory();
        await using var second = Factory();
        using var firstClient = first.CreateClient();
        using var secondClient = second.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            await GetHealthzAsync(firstClient);
        }

        await GetHealthzAsync(secondClient);

        (string, string)[] healthz = [("route", "/healthz"), ("method", "GET"), ("status", "200"), ("model", string.Empty)];
        var firstScrape = await MetricsScrape.GetAsync(firstClient);
        var secondScrape = await MetricsScrape.GetAsync(secondClient);
        Assert.Equal(3, firstScrape.Find("speechserve_http_requests_total", healthz));
        Assert.Equal(1, secondScrape.Find("speechserve_http_requests_total", healthz));
        Assert.All(firstScrape.Types.Keys, family => Assert.StartsWith("speechserve_", family, StringComparison.Ordinal));
    }

    /// <inheritdoc/>
    public void Dispose() => _emptyModels.Dispose();

    private WebApplicationFactory<Program> Factory() =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Serving:ModelsPath", _emptyModels.Path);
            builder.ConfigureTestServices(services => services.Remove(services.Single(d => d.ImplementationType == typeof(ModelLoadingService))));
        });

    private static async Task GetHealthzAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
