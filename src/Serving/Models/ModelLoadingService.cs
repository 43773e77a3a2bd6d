using Microsoft.Extensions.Options;
using SpeechServe.Runtime.Batching;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Onnx;
using SpeechServe.Runtime.Recognition;
using SpeechServe.Runtime.Translation;
using SpeechServe.Serving.Metrics;
using SpeechServe.Serving.Resilience;

namespace SpeechServe.Serving.Models;

/// <summary>
/// Loads every model repository under <see cref="ServingOptions.ModelsPath"/> in the background after
/// start-up, then publishes them to the <see cref="ModelCatalog"/>; <c>/readyz</c> turns ready then.
/// </summary>
public sealed partial class ModelLoadingService(
    ModelCatalog catalog,
    OnnxSessionFactory sessions,
    AdapterRegistryFactory adapterRegistries,
    ServingMetrics metrics,
    IOptions<ServingOptions> options,
    IHostEnvironment host,
    ILogger<ModelLoadingService> logger,
    ILogger<InferenceCircuitBreaker> breakerLogger) : BackgroundService
{
    private readonly List<ServedModel> _loaded = [];

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(
        () =>
        {
            try
            {
                catalog.Publish(LoadAll(stoppingToken));
            }
#pragma warning disable CA1031 // A model that cannot load leaves the server up and unready, saying why.
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                Log.LoadFailed(logger, ex.Message, ex);
                catalog.Fail(ex.Message);
            }
        },
        stoppingToken);

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        // The host may stop twice (e.g. a test host disposed after stopping); dispose each model once.
        var loaded = _loaded.ToList();
        _loaded.Clear();
        foreach (var served in loaded)
        {
            await served.Recognizer.DisposeAsync().ConfigureAwait(false);
            await served.Translator.DisposeAsync().ConfigureAwait(false);
            served.Model.Dispose();
        }
    }

    private List<ServedModel> LoadAll(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var root = Path.GetFullPath(settings.ModelsPath, host.ContentRootPath);
        var directories = Directory.Exists(root)
            ? Directory.GetDirectories(root).Where(d => File.Exists(Path.Combine(d, "model.json"))).Order(StringComparer.Ordinal).ToList()
            : [];
        if (directories.Count == 0)
        {
            throw new InvalidDataException($"No model repository (a directory with model.json) under {root}; set Serving:ModelsPath.");
        }

        var batching = new BatchingOptions
        {
            MaxBatchSize = settings.MaxBatchSize,
            MaxWait = TimeSpan.FromMilliseconds(settings.MaxBatchWaitMilliseconds),
            MaxQueueLength = settings.MaxQueueLength,
        };
        // Transcriptions run batches side by side; translations keep one worker (their decoders run one batch at a time).
        var workers = settings.ResolveBatchWorkers(Environment.ProcessorCount);
        var recognition = new RecognitionOptions { BeamWidth = settings.BeamWidth, Batching = batching with { Workers = workers } };
        var translation = new TranslationOptions { Batching = batching };
        Log.BatchWorkers(logger, workers, settings.IntraOpThreads, Environment.ProcessorCount);
        foreach (var directory in directories)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var manifest = ModelManifest.Parse(File.ReadAllBytes(Path.Combine(directory, "model.json")));
            var provider = settings.Models.GetValueOrDefault(manifest.Id)?.ExecutionProvider ?? settings.ExecutionProvider;
            var model = SpeechModel.Load(directory, sessions, provider, settings.UseInt8, settings.LanguageModel);
            metrics.AddBaseModel(model.Id);
            var recognizer = new SpeechRecognizer(model.Encoder, model.Vocabulary, recognition, model.LexiconSearch);
            var modelId = model.Id;
            recognizer.BatchCompleted += size => metrics.RecordBatch(modelId, size);
            var translator = new SpeechTranslator(model.Encoder, sessions, translation);
            translator.BatchCompleted += size => metrics.RecordBatch(modelId, size);
            var adapters = adapterRegistries.CreateAndLoad(model, translator);
            var breaker = new InferenceCircuitBreaker(model.Id, settings.InferenceBreaker, breakerLogger);
            _loaded.Add(new ServedModel(model, recognizer, translator, adapters, File.GetLastWriteTimeUtc(Path.Combine(directory, "model.json")), breaker));
            Log.ModelLoaded(logger, model.Id, adapters.ActiveVersions.Count, directory, model.Encoder.ExecutionProvider);
            if (model.LexiconSearch is { } search)
            {
                Log.LanguageModelLoaded(logger, model.Id, model.Manifest.LanguageModel!.File, search.LanguageModel.Lexicon.WordCount, search.LanguageModel.LanguageModel.Order);
            }
        }

        return _loaded;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Loaded model {ModelId} with {AdapterCount} adapters from {Directory} on {ExecutionProvider}")]
        public static partial void ModelLoaded(ILogger logger, string modelId, int adapterCount, string directory, OnnxExecutionProvider executionProvider);

        [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Model {ModelId} decodes with the language model {File}: {WordCount} lexicon words, order {Order}")]
        public static partial void LanguageModelLoaded(ILogger logger, string modelId, string file, int wordCount, int order);

        [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Transcriptions run {Workers} encoder batches at once ({IntraOpThreads} intra-op threads each, 0 = one per core; {Processors} processors)")]
        public static partial void BatchWorkers(ILogger logger, int workers, int intraOpThreads, int processors);

        [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Could not load the models: {Reason}")]
        public static partial void LoadFailed(ILogger logger, string reason, Exception exception);
    }
}
