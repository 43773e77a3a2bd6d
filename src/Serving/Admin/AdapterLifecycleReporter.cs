using SpeechServe.Adapters.Registry;
using SpeechServe.Serving.Metrics;

namespace SpeechServe.Serving.Admin;

/// <summary>The adapter lifecycle listener the registries report to: each step is counted in the metrics, then logged.</summary>
public sealed class AdapterLifecycleReporter(ServingMetrics metrics, AdapterLifecycleLog log) : IAdapterLifecycleListener
{
    /// <inheritdoc />
    public void OnLifecycleEvent(AdapterLifecycleEvent lifecycleEvent)
    {
        ArgumentNullException.ThrowIfNull(lifecycleEvent);
        metrics.RecordAdapterEvent(lifecycleEvent);
        log.OnLifecycleEvent(lifecycleEvent);
    }
}
