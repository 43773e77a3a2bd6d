using Microsoft.Extensions.Diagnostics.HealthChecks;
using SpeechServe.Serving.Models;

namespace SpeechServe.Serving.Health;

/// <summary>
/// Readiness of the served models: healthy once every model is loaded and no model's inference circuit is
/// open. When not, the result is unhealthy, its description says why and its data holds the probe's status
/// word under <see cref="StatusKey"/>.
/// </summary>
public sealed class ModelReadinessCheck(ModelCatalog catalog) : IHealthCheck
{
    /// <summary>The check's registration name.</summary>
    public const string Name = "models";

    /// <summary>The data key of the status word: <c>loading</c>, <c>failed</c> or <c>inference_paused</c>.</summary>
    public const string StatusKey = "status";

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!catalog.IsReady)
        {
            return Task.FromResult(NotReady(catalog.Failure is null ? "loading" : "failed", catalog.Failure));
        }

        var paused = catalog.Models.Where(m => m.Breaker.IsOpen).Select(m => m.Model.Id).ToList();
        return Task.FromResult(paused.Count == 0
            ? HealthCheckResult.Healthy()
            : NotReady("inference_paused", $"Repeated encoder failures opened the inference circuit of {string.Join(", ", paused)}; recognition answers 503 until a trial request after the break succeeds."));
    }

    private static HealthCheckResult NotReady(string status, string? detail) =>
        HealthCheckResult.Unhealthy(detail, data: new Dictionary<string, object> { [StatusKey] = status });
}
