using System.Globalization;
using SpeechServe.Adapters.Registry;

namespace SpeechServe.Serving.Metrics;

/// <summary>
/// The server's counters and histograms (docs/metrics.md). Everything is recorded here by the request
/// middleware, the endpoints, the batchers' completion events and the adapter lifecycle listener; gauges
/// that describe the present (queue depth, resident adapters, open streams) are sampled at scrape time by
/// <see cref="ServingGauges"/>. Label values are route templates, model ids and fixed words, never request text.
/// </summary>
public sealed class ServingMetrics
{
    /// <summary>Upper bounds of the request duration histogram, in seconds.</summary>
    public static readonly IReadOnlyList<double> DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    /// <summary>Upper bounds of the real-time factor histogram.</summary>
    public static readonly IReadOnlyList<double> RealTimeFactorBuckets = [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 5];

    /// <summary>Upper bounds of the batch size histogram.</summary>
    public static readonly IReadOnlyList<double> BatchSizeBuckets = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64];

    private static readonly string[] StageLabels = Enum.GetValues<AdapterLifecycleStage>().Select(StageLabel).ToArray();

    private readonly CounterFamily _requests = new(
        "speechserve_http_requests_total",
        "HTTP requests answered, by route template, method, status code and the model the request ran on (empty when none).",
        "route", "method", "status", "model");

    private readonly HistogramFamily _requestDuration = new(
        "speechserve_http_request_duration_seconds",
        "Time from the request's arrival to the end of its response, by route template, method and model.",
        DurationBuckets, "route", "method", "model");

    private readonly HistogramFamily _realTimeFactor = new(
        "speechserve_transcription_real_time_factor",
        "Recognition time (batch queue, encoder and decoding) divided by audio duration, per successful offline transcription or translation.",
        RealTimeFactorBuckets, "model");

    private readonly CounterFamily _processingSeconds = new(
        "speechserve_transcription_processing_seconds_total",
        "Recognition time of successful offline transcriptions, in seconds (the numerator of the real-time factor).",
        "model");

    private readonly CounterFamily _audioSeconds = new(
        "speechserve_audio_seconds_total",
        "Seconds of audio recognized, by model and mode (offline: successful transcriptions; streaming: audio received by ended streams).",
        "model", "mode");

    private readonly HistogramFamily _batchSizes = new(
        "speechserve_batch_size",
        "Utterances per encoder run of the dynamic batcher, by base model.",
        BatchSizeBuckets, "base_model");

    private readonly CounterFamily _adapterEvents = new(
        "speechserve_adapter_events_total",
        "Adapter lifecycle steps by base model and event; an activated event is a swap of the version new requests get.",
        "base_model", "event");

    /// <summary>Exposes the series of a base model at zero before its first batch or adapter event.</summary>
    public void AddBaseModel(string baseModel)
    {
        _batchSizes.Touch(baseModel);
        foreach (var stage in StageLabels)
        {
            _adapterEvents.Touch(baseModel, stage);
        }
    }

    /// <summary>Counts one answered request.</summary>
    /// <param name="route">The matched route template, or empty when no endpoint matched (static files, 404).</param>
    /// <param name="method">The HTTP method; methods outside the standard ones count as <c>_OTHER</c>.</param>
    /// <param name="status">The response status code.</param>
    /// <param name="model">The model id the request ran on, or empty.</param>
    /// <param name="duration">Time from arrival to the end of the response.</param>
    public void RecordRequest(string route, string method, int status, string model, TimeSpan duration)
    {
        var knownMethod = KnownMethod(method);
        _requests.Increment(route, knownMethod, status.ToString(CultureInfo.InvariantCulture), model);
        _requestDuration.Observe(duration.TotalSeconds, route, knownMethod, model);
    }

    /// <summary>Records a successful offline transcription of <paramref name="audioSeconds"/> that took <paramref name="processing"/>.</summary>
    public void RecordTranscription(string model, double audioSeconds, TimeSpan processing)
    {
        if (!(audioSeconds > 0))
        {
            return;
        }

        _realTimeFactor.Observe(processing.TotalSeconds / audioSeconds, model);
        _processingSeconds.Add(processing.TotalSeconds, model);
        _audioSeconds.Add(audioSeconds, model, "offline");
    }

    /// <summary>Records the audio an ended stream received.</summary>
    public void RecordStream(string model, double audioSeconds)
    {
        if (audioSeconds > 0)
        {
            _audioSeconds.Add(audioSeconds, model, "streaming");
        }
    }

    /// <summary>Records one encoder batch of <paramref name="size"/> utterances; called on the batcher's worker.</summary>
    public void RecordBatch(string baseModel, int size) => _batchSizes.Observe(size, baseModel);

    /// <summary>Counts one adapter lifecycle step.</summary>
    public void RecordAdapterEvent(AdapterLifecycleEvent lifecycleEvent)
    {
        ArgumentNullException.ThrowIfNull(lifecycleEvent);
        _adapterEvents.Increment(lifecycleEvent.BaseModel, StageLabel(lifecycleEvent.Stage));
    }

    /// <summary>Writes every counter and histogram.</summary>
    public void WriteTo(PrometheusTextWriter writer)
    {
        _requests.WriteTo(writer);
        _requestDuration.WriteTo(writer);
        _realTimeFactor.WriteTo(writer);
        _processingSeconds.WriteTo(writer);
        _audioSeconds.WriteTo(writer);
        _batchSizes.WriteTo(writer);
        _adapterEvents.WriteTo(writer);
    }

    private static string KnownMethod(string method) => method switch
    {
        "GET" or "HEAD" or "POST" or "PUT" or "DELETE" or "PATCH" or "OPTIONS" or "TRACE" or "CONNECT" => method,
        _ => "_OTHER",
    };

    private static string StageLabel(AdapterLifecycleStage stage) => stage switch
    {
        AdapterLifecycleStage.Stored => "stored",
        AdapterLifecycleStage.Rejected => "rejected",
        AdapterLifecycleStage.Loaded => "loaded",
        AdapterLifecycleStage.LoadFailed => "load_failed",
        AdapterLifecycleStage.Activated => "activated",
        AdapterLifecycleStage.Deleted => "deleted",
        AdapterLifecycleStage.Evicted => "evicted",
        AdapterLifecycleStage.Released => "released",
        _ => "other",
    };
}
