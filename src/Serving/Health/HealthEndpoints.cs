namespace SpeechServe.Serving.Health;

/// <summary>Liveness and readiness probes.</summary>
public static class HealthEndpoints
{
    /// <summary>Maps <c>GET /healthz</c> (the process answers) and <c>GET /readyz</c> (models are loaded).</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => TypedResults.Ok(new HealthStatus("ok")))
            .WithName("Healthz").WithTags("Health");
        endpoints.MapGet("/readyz", () => TypedResults.Ok(new HealthStatus("ready")))
            .WithName("Readyz").WithTags("Health");
        return endpoints;
    }
}

/// <summary>Body of the health probes.</summary>
public sealed record HealthStatus(string Status);
