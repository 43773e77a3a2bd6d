using Prometheus;
using SpeechServe.Serving.Documentation;
using SpeechServe.Serving.Models;
using SpeechServe.Serving.Streaming;

namespace SpeechServe.Serving.Metrics;

/// <summary><c>GET /metrics</c>: Prometheus text exposition (docs/metrics.md); outside <c>/v1</c>, without a key.</summary>
public static class MetricsEndpoints
{
    /// <summary>Adds the scrape-time gauges to the server's registry and serves the registry with prometheus-net's exporter.</summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var registry = services.GetRequiredService<ServingMetrics>().Registry;
        var streams = services.GetRequiredService<ActiveStreams>();
        ServingGauges.Register(
            registry, services.GetRequiredService<ModelCatalog>(), services.GetRequiredService<AdapterRegistryFactory>().Residency, () => streams.Open);

        var exporter = new MetricServerMiddleware.Settings
        {
            Registry = registry,
            // Prometheus asks for OpenMetrics first; the documented format is text 0.0.4, whatever the Accept header.
            EnableOpenMetrics = false,
        };
        endpoints.MapGetPipeline("/metrics", app => app.UseMiddleware<MetricServerMiddleware>(exporter))
            .WithName("Metrics")
            .WithTags("Metrics")
            .WithSummary("Prometheus metrics in the text exposition format 0.0.4.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain");
        return endpoints;
    }
}
