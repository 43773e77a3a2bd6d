using Prometheus;
using SpeechServe.Adapters.Registry;
using SpeechServe.Serving.Models;

namespace SpeechServe.Serving.Metrics;

/// <summary>
/// The gauges, set from the live objects by a before-collect callback of the registry, so that each scrape
/// reads them at that moment and they can never drift from them.
/// </summary>
public static class ServingGauges
{
    /// <summary>
    /// Adds the queue depth and adapter gauges (per loaded base model) and the open streams gauge to
    /// <paramref name="registry"/>, updated before every collection.
    /// </summary>
    /// <param name="registry">The registry that <c>/metrics</c> serves.</param>
    /// <param name="catalog">The loaded models; before loading finished there are no per-model series.</param>
    /// <param name="residency">The adapter weights held in memory, shared by every base model.</param>
    /// <param name="openStreams">The number of open WebSocket streams.</param>
    public static void Register(CollectorRegistry registry, ModelCatalog catalog, AdapterResidency residency, Func<int> openStreams)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(residency);
        ArgumentNullException.ThrowIfNull(openStreams);
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var queueDepth = factory.CreateGauge(
            "speechserve_batch_queue_depth", "Offline requests waiting for the encoder, by base model.", "base_model");
        var adaptersActive = factory.CreateGauge(
            "speechserve_adapters_active", "Adapters with an active version, by base model.", "base_model");
        var adaptersResident = factory.CreateGauge(
            "speechserve_adapters_resident",
            "Adapter versions holding their weights in memory (active ones, and replaced ones still serving requests), by base model.",
            "base_model");
        var residentBytes = factory.CreateGauge(
            "speechserve_adapters_resident_bytes", "Bytes of adapter weights held in memory, by base model.", "base_model");
        var streamsActive = factory.CreateGauge("speechserve_streams_active", "Open WebSocket streams.");

        registry.AddBeforeCollectCallback(() =>
        {
            var usage = residency.UsageByBaseModel();
            foreach (var served in catalog.Models)
            {
                var id = served.Model.Id;
                var resident = usage.GetValueOrDefault(id) ?? new ResidencyUsage(0, 0);
                queueDepth.WithLabels(id).Set(served.Recognizer.QueueDepth + served.Translator.QueueDepth);
                adaptersActive.WithLabels(id).Set(served.Adapters.ActiveVersions.Count);
                adaptersResident.WithLabels(id).Set(resident.Versions);
                residentBytes.WithLabels(id).Set(resident.Bytes);
            }

            streamsActive.Set(openStreams());
        });
    }
}
