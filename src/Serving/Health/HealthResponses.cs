using Microsoft.Extensions.Diagnostics.HealthChecks;
using SpeechServe.Serving.Models;
using CheckStatus = Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus;

namespace SpeechServe.Serving.Health;

/// <summary>The probes' JSON bodies (<see cref="HealthStatus"/>): the one place that turns a health report into a body.</summary>
internal static class HealthResponses
{
    /// <summary>Liveness: the process answers, whatever the checks would say.</summary>
    public static Task WriteLivenessAsync(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(new HealthStatus("ok", null));

    /// <summary>
    /// Readiness: <c>ready</c>, or the status word and reason of the first unhealthy check; a check without a
    /// status word (one that threw or timed out) reads <c>failed</c>. Once the models are loaded, each one's
    /// execution provider.
    /// </summary>
    public static Task WriteReadinessAsync(HttpContext context, HealthReport report)
    {
        var catalog = context.RequestServices.GetRequiredService<ModelCatalog>();
        IReadOnlyList<ModelProvider>? models = catalog.IsReady
            ? [.. catalog.Models.Select(m => new ModelProvider(m.Model.Id, ExecutionProviderNames.Of(m.Model.Encoder.ExecutionProvider)))]
            : null;
        var failing = report.Entries.Values.FirstOrDefault(e => e.Status == CheckStatus.Unhealthy);
        var body = report.Status != CheckStatus.Unhealthy
            ? new HealthStatus("ready", null, models)
            : new HealthStatus(
                failing.Data.TryGetValue(ModelReadinessCheck.StatusKey, out var status) ? (string)status : "failed",
                failing.Description,
                models);
        return context.Response.WriteAsJsonAsync(body);
    }
}
