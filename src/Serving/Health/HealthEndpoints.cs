using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using SpeechServe.Serving.Documentation;

namespace SpeechServe.Serving.Health;

/// <summary>Liveness and readiness probes on ASP.NET Core's health checks.</summary>
public static class HealthEndpoints
{
    private const string ReadinessTag = "ready";

    /// <summary>Adds the health check service with <see cref="ModelReadinessCheck"/> as a readiness check.</summary>
    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<ModelReadinessCheck>(ModelReadinessCheck.Name, tags: [ReadinessTag]);
        // The health check service logs every unhealthy result as an error: each probe while the models load,
        // or after they failed (logged once, by the loader). The /readyz body already says it.
        services.AddLogging(logging => logging.AddFilter(typeof(HealthCheckService).Namespace, LogLevel.Critical));
        return services;
    }

    /// <summary>Maps <c>GET /healthz</c> (the process answers) and <c>GET /readyz</c> (models are loaded, no inference circuit open).</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        var liveness = new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthResponses.WriteLivenessAsync };
        var readiness = new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadinessTag), ResponseWriter = HealthResponses.WriteReadinessAsync };
        endpoints.MapGetPipeline("/healthz", app => app.UseMiddleware<HealthCheckMiddleware>(Options.Create(liveness)))
            .WithName("Healthz").WithTags("Health")
            .Produces<HealthStatus>(StatusCodes.Status200OK);
        endpoints.MapGetPipeline("/readyz", app => app.UseMiddleware<HealthCheckMiddleware>(Options.Create(readiness)))
            .WithName("Readyz").WithTags("Health")
            .Produces<HealthStatus>(StatusCodes.Status200OK)
            .Produces<HealthStatus>(StatusCodes.Status503ServiceUnavailable);
        return endpoints;
    }
}

/// <summary>Body of the health probes.</summary>
/// <param name="Status"><c>ok</c>, <c>ready</c>, <c>loading</c>, <c>failed</c> or <c>inference_paused</c>.</param>
/// <param name="Detail">Why the server is not ready, when it failed.</param>
/// <param name="Models">Readiness once the models are loaded: each base model and the execution provider it runs on.</param>
public sealed record HealthStatus(
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ModelProvider>? Models = null);

/// <summary>A loaded base model and the execution provider its encoder runs on (<c>cpu</c> or <c>cuda</c>).</summary>
public sealed record ModelProvider(string Id, [property: JsonPropertyName("execution_provider")] string ExecutionProvider);
