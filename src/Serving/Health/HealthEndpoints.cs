using Microsoft.AspNetCore.Http.HttpResults;
using SpeechServe.Serving.Models;

namespace SpeechServe.Serving.Health;

/// <summary>Liveness and readiness probes.</summary>
public static class HealthEndpoints
{
    /// <summary>Maps <c>GET /healthz</c> (the process answers) and <c>GET /readyz</c> (models are loaded, no inference circuit open).</summary>
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

    private static IResult Readiness(ModelCatalog catalog)
    {
        if (!catalog.IsReady)
        {
            return NotReady(catalog.Failure is null ? "loading" : "failed", catalog.Failure);
        }

        var paused = catalog.Models.Where(m => m.Breaker.IsOpen).Select(m => m.Model.Id).ToList();
        return paused.Count == 0
            ? TypedResults.Ok(new HealthStatus("ready", null))
            : NotReady("inference_paused", $"Repeated encoder failures opened the inference circuit of {string.Join(", ", paused)}; recognition answers 503 until a trial request after the break succeeds.");
    }

    private static JsonHttpResult<HealthStatus> NotReady(string status, string? detail) =>
        TypedResults.Json(new HealthStatus(status, detail), statusCode: StatusCodes.Status503ServiceUnavailable);
}

/// <summary>Body of the health probes.</summary>
/// <param name="Status"><c>ok</c>, <c>ready</c>, <c>loading</c>, <c>failed</c> or <c>inference_paused</c>.</param>
/// <param name="Detail">Why the server is not ready, when it failed.</param>
public sealed record HealthStatus(
    string Status,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Detail);
