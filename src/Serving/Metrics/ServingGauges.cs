using SpeechServe.Adapters.Registry;
using SpeechServe.Serving.Models;

namespace SpeechServe.Serving.Metrics;

/// <summary>The gauges, read from the live objects at scrape time so that they can never drift from them.</summary>
public static class ServingGauges
{
    /// <summary>Writes the queue depth and adapter gauges per loaded base model, and the open streams.</summary>
    public static void WriteTo(PrometheusTextWriter writer, ModelCatalog catalog, AdapterResidency residency, int openStreams)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(residency);
        var models = catalog.Models.OrderBy(m => m.Model.Id, StringComparer.Ordinal).ToList();
        var usage = residency.UsageByBaseModel();
        ResidencyUsage UsageOf(ServedModel served) => usage.GetValueOrDefault(served.Model.Id) ?? new ResidencyUsage(0, 0);

        writer.WriteGauge(
            "speechserve_batch_queue_depth",
            "Offline requests waiting for the encoder, by base model.",
            ["base_model"],
            models.Select(m => new MetricSample([m.Model.Id], m.Recognizer.QueueDepth + m.Translator.QueueDepth)));
        writer.WriteGauge(
            "speechserve_adapters_active",
            "Adapters with an active version, by base model.",
            ["base_model"],
            models.Select(m => new MetricSample([m.Model.Id], m.Adapters.ActiveVersions.Count)));
        writer.WriteGauge(
            "speechserve_adapters_resident",
            "Adapter versions holding their weights in memory (active ones, and replaced ones still serving requests), by base model.",
            ["base_model"],
            models.Select(m => new MetricSample([m.Model.Id], UsageOf(m).Versions)));
        writer.WriteGauge(
            "speechserve_adapters_resident_bytes",
            "Bytes of adapter weights held in memory, by base model.",
            ["base_model"],
            models.Select(m => new MetricSample([m.Model.Id], UsageOf(m).Bytes)));
        writer.WriteGauge(
            "speechserve_streams_active",
            "Open WebSocket streams.",
            [],
            [new MetricSample([], openStreams)]);
    }
}
