using System.Globalization;
using Prometheus;
using SpeechServe.Adapters.Registry;

namespace SpeechServe.Serving.Metrics;

/// <summary>
/// The server's counters and histograms (docs/metrics.md), kept by prometheus-net in <see cref="Registry"/>.
/// Everything is recorded here by the request middleware, the endpoints, the batchers' completion events and
/// the adapter lifecycle listener; gauges that describe the present (queue depth, resident adapters, open
/// streams) are set at scrape time by <see cref="ServingGauges"/>. What this class adds to the library is the
/// label discipline: values are route templates, model ids and fixed words (unknown methods become
/// <c>_OTHER</c>, lifecycle stages fixed event names), never request text, and a base model's batch and
/// adapter event series exist from zero.
/// </summary>
public sealed class ServingMetrics
{
    /// <summary>Upper bounds of the request duration histogram, in seconds.</summary>
    public static readonly IReadOnlyList<double> DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    /// <summary>Upper bounds of the real-time factor histogram.</summary>
    public static readonly IReadOnlyList<double> RealTimeFactorBuckets = [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 5];

    /// <summary>Upper bounds of the transcription stage histogram, in seconds.</summary>
    public static readonly IReadOnlyList<double> StageBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    /// <summary>Upper bounds of the batch size histogram.</summary>
    public static readonly IReadOnlyList<double> BatchSizeBuckets = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64];

    private static readonly string[] StageLabels = Enum.GetValues<AdapterLifecycleStage>().Select(StageLabel).ToArray();

    private readonly Counter _requests;
    private readonly Histogram _requestDuration;
    private readonly Histogram _realTimeFactor;
    private readonly Counter _processingSeconds;
    private readonly Counter _audioSeconds;
    private readonly Histogram _stageSeconds;
    private readonly Histogram _batchSizes;
    private readonly Histogram _streamBatchSizes;
    private readonly Counter _adapterEvents;

    /// <summary>Creates the counters and histograms in a registry of their own.</summary>
    public ServingMetrics()
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        // Exemplars only travel in OpenMetrics, which /metrics does not serve; recording them would be wasted work.
        factory.ExemplarBehavior = ExemplarBehavior.NoExemplars();
        _requests = factory.CreateCounter(
            "speechserve_http_requests_total",
            "HTTP requests answered, by route template, method, status code and the model the request ran on (empty when none).",
            "route", "method", "status", "model");
        _requestDuration = factory.CreateHistogram(
            "speechserve_http_request_duration_seconds",
            "Time from the request's arrival to the end of its response, by route template, method and model.",
            ["route", "method", "model"],
            new HistogramConfiguration { Buckets = [.. DurationBuckets] });
        _realTimeFactor = factory.CreateHistogram(
            "speechserve_transcription_real_time_factor",
            "Recognition time (batch queue, encoder and decoding) divided by audio duration, per successful offline transcription or translation.",
            ["model"],
            new HistogramConfiguration { Buckets = [.. RealTimeFactorBuckets] });
        _processingSeconds = factory.CreateCounter(
            "speechserve_transcription_processing_seconds_total",
            "Recognition time of successful offline transcriptions, in seconds (the numerator of the real-time factor).",
            "model");
        _audioSeconds = factory.CreateCounter(
            "speechserve_audio_seconds_total",
            "Seconds of audio recognized, by model and mode (offline: successful transcriptions; streaming: audio received by ended streams).",
            "model", "mode");
        _stageSeconds = factory.CreateHistogram(
            "speechserve_transcription_stage_seconds",
            "Time of each stage (form, audio, features, queue, encoder, decoding, response) of successful offline transcriptions recognised in encoder batches, by model and stage.",
            ["model", "stage"],
            new HistogramConfiguration { Buckets = [.. StageBuckets] });
        _batchSizes = factory.CreateHistogram(
            "speechserve_batch_size",
            "Utterances per encoder run of the dynamic batcher, by base model.",
            ["base_model"],
            new HistogramConfiguration { Buckets = [.. BatchSizeBuckets] });
        _streamBatchSizes = factory.CreateHistogram(
            "speechserve_stream_batch_size",
            "Streams whose chunks shared one streaming encoder run, by base model.",
            ["base_model"],
            new HistogramConfiguration { Buckets = [.. BatchSizeBuckets] });
        _adapterEvents = factory.CreateCounter(
            "speechserve_adapter_events_total",
            "Adapter lifecycle steps by base model and event; an activated event is a swap of the version new requests get.",
            "base_model", "event");
    }

    /// <summary>
    /// The registry that <c>/metrics</c> serves: this server's own, not prometheus-net's static default, so
    /// that servers sharing a process (tests) count apart and no process or runtime metrics are mixed in.
    /// </summary>
    public CollectorRegistry Registry { get; } = Prometheus.Metrics.NewCustomRegistry();

    /// <summary>Exposes the series of a base model at zero before its first batch or adapter event.</summary>
    public void AddBaseModel(string baseModel)
    {
        // A labelled series is exposed from the moment it is created.
        _batchSizes.WithLabels(baseModel);
        _streamBatchSizes.WithLabels(baseModel);
        foreach (var stage in StageLabels)
        {
            _adapterEvents.WithLabels(baseModel, stage);
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
        _requests.WithLabels(route, knownMethod, status.ToString(CultureInfo.InvariantCulture), model).Inc();
        _requestDuration.WithLabels(route, knownMethod, model).Observe(duration.TotalSeconds);
    }

    /// <summary>Records a successful offline transcription of <paramref name="audioSeconds"/> that took <paramref name="processing"/>.</summary>
    public void RecordTranscription(string model, double audioSeconds, TimeSpan processing)
    {
        if (!(audioSeconds > 0))
        {
            return;
        }

        _realTimeFactor.WithLabels(model).Observe(processing.TotalSeconds / audioSeconds);
        _processingSeconds.WithLabels(model).Inc(processing.TotalSeconds);
        _audioSeconds.WithLabels(model, "offline").Inc(audioSeconds);
    }

    /// <summary>Records the stages of a successful offline transcription whose response took <paramref name="response"/> to write.</summary>
    public void RecordStages(string model, TranscriptionStages stages, TimeSpan response)
    {
        ArgumentNullException.ThrowIfNull(stages);
        var recognition = stages.Recognition;
        ObserveStage(model, "form", stages.Form);
        ObserveStage(model, "audio", stages.Audio);
        ObserveStage(model, "features", recognition.Features);
        ObserveStage(model, "queue", recognition.Queue);
        ObserveStage(model, "encoder", recognition.Encoder);
        ObserveStage(model, "decoding", recognition.Decoding);
        ObserveStage(model, "response", response);
    }

    /// <summary>Records the audio an ended stream received.</summary>
    public void RecordStream(string model, double audioSeconds)
    {
        if (audioSeconds > 0)
        {
            _audioSeconds.WithLabels(model, "streaming").Inc(audioSeconds);
        }
    }

    /// <summary>Records one encoder batch of <paramref name="size"/> utterances; called on the batcher's worker.</summary>
    public void RecordBatch(string baseModel, int size) => _batchSizes.WithLabels(baseModel).Observe(size);

    /// <summary>Records the size of one batch of stream chunks.</summary>
    public void RecordStreamBatch(string baseModel, int size) => _streamBatchSizes.WithLabels(baseModel).Observe(size);

    /// <summary>Counts one adapter lifecycle step.</summary>
    public void RecordAdapterEvent(AdapterLifecycleEvent lifecycleEvent)
    {
        ArgumentNullException.ThrowIfNull(lifecycleEvent);
        _adapterEvents.WithLabels(lifecycleEvent.BaseModel, StageLabel(lifecycleEvent.Stage)).Inc();
    }

    private void ObserveStage(string model, string stage, TimeSpan time) => _stageSeconds.WithLabels(model, stage).Observe(time.TotalSeconds);

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
