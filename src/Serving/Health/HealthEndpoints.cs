using SpeechServe.Serving.Models;

namespace SpeechServe.Serving.Health;

/// <summary>Liveness and readiness probes.</summary>
public static class HealthEndpoints
{
    /// <summary>Maps <c>GET /healthz</c> (the process answers) and <c>GET /readyz</c> (models are loaded).</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => TypedResults.Ok(new HealthStatus("ok", null)))
            .WithName("Healthz").WithTags("Health");
        endpoints.MapGet("/readyz", Readiness)
            .WithName("Readyz").WithTags("Health")
            .Produces<HealthStatus>(StatusCodes.Status200OK)
            .Produces<HealthStatus>(StatusCodes.Status503ServiceUnavailable);
        return endpoints;
    }

    private static IResult Readiness(ModelCatalog catalog) => catalog.IsReady
        ? TypedResults.Ok(new HealthStatus("ready", null))
        : TypedResults.Json(
            new HealthStatus(catalog.Failure is null ? "loading" : "failed", catalog.Failure),
            statusCode: StatusCodes.Status503ServiceUnavailable);
}

/// <summary>Body of the health probes.</summary>
/// <param name="Status"><c>ok</c>, <c>ready</c>, <c>loading</c> or <c>failed</c>.</param>
/// <param name="Detail">Why the server is not ready, when it failed.</param>
public sealed record HealthStatus(
    string Status,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Detail);
