using Microsoft.AspNetCore.Http.HttpResults;
using SpeechServe.Serving.Models;
using SpeechServe.Serving.Streaming;

namespace SpeechServe.Serving.Metrics;

/// <summary><c>GET /metrics</c>: Prometheus text exposition (docs/metrics.md); outside <c>/v1</c>, without a key.</summary>
public static class MetricsEndpoints
{
    /// <summary>Maps the scrape endpoint.</summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/metrics", Scrape)
            .WithName("Metrics")
            .WithTags("Metrics")
            .WithSummary("Prometheus metrics in the text exposition format 0.0.4.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain");
        return endpoints;
    }

    private static ContentHttpResult Scrape(ServingMetrics metrics, ModelCatalog catalog, AdapterRegistryFactory adapters, ActiveStreams streams)
    {
        var writer = new PrometheusTextWriter();
        metrics.WriteTo(writer);
        ServingGauges.WriteTo(writer, catalog, adapters.Residency, streams.Open);
        return TypedResults.Text(writer.ToString(), PrometheusTextWriter.ContentType);
    }
}
