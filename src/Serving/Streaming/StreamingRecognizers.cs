using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using SpeechServe.Runtime.Batching;
using SpeechServe.Runtime.Streaming;
using SpeechServe.Serving.Metrics;
using SpeechServe.Serving.Models;

namespace SpeechServe.Serving.Streaming;

/// <summary>
/// The <see cref="StreamingRecognizer"/>s of each loaded model, on the same encoder session that REST uses: one
/// with the configured endpointing, and one without, for clients that cut turns themselves (Realtime commits). Both
/// share the model's <see cref="StreamingChunkBatcher"/> unless <see cref="StreamingServerOptions.MaxBatchSize"/> is 1, which
/// runs as many batches at once as transcriptions do (<see cref="ServingOptions.ResolveBatchWorkers"/>).
/// </summary>
public sealed class StreamingRecognizers(IOptions<StreamingServerOptions> options, IOptions<ServingOptions> serving, ServingMetrics metrics)
    : IAsyncDisposable, IDisposable
{
    private readonly ConditionalWeakTable<ServedModel, StreamingRecognizer> _recognizers = [];
    private readonly ConditionalWeakTable<ServedModel, StreamingRecognizer> _unsegmented = [];
    private readonly ConditionalWeakTable<ServedModel, StreamingChunkBatcher> _batchers = [];
    private readonly List<StreamingChunkBatcher> _created = [];

    /// <summary>The recognizer of <paramref name="served"/>; with <paramref name="endpointing"/> false, one that never ends a segment by itself.</summary>
    public StreamingRecognizer For(ServedModel served, bool endpointing = true)
    {
        ArgumentNullException.ThrowIfNull(served);
        var settings = RecognitionOptions(options.Value);
        return endpointing
            ? _recognizers.GetValue(served, s => Create(s, settings))
            : _unsegmented.GetValue(served, s => Create(s, settings with { EndpointingEnabled = false }));
    }

    /// <summary>Stops the batchers, once every stream has ended.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Stops the batchers, once every stream has ended.</summary>
    public async ValueTask DisposeAsync()
    {
        List<StreamingChunkBatcher> created;
        lock (_created)
        {
            created = [.. _created];
            _created.Clear();
        }

        foreach (var batcher in created)
        {
            await batcher.DisposeAsync().ConfigureAwait(false);
        }
    }

    private StreamingRecognizer Create(ServedModel served, StreamingRecognitionOptions settings) =>
        new(served.Model.Encoder, served.Model.Vocabulary, settings, served.Model.LexiconSearch, Batcher(served));

    private StreamingChunkBatcher? Batcher(ServedModel served)
    {
        var settings = options.Value;
        if (settings.MaxBatchSize <= 1)
        {
            return null;
        }

        return _batchers.GetValue(served, s =>
        {
            // Each open stream has at most one chunk waiting, so the queue never refuses one.
            var batcher = new StreamingChunkBatcher(s.Model.Encoder, new BatchingOptions
            {
                MaxBatchSize = settings.MaxBatchSize,
                MaxWait = TimeSpan.FromMilliseconds(settings.MaxBatchWaitMilliseconds),
                MaxQueueLength = Math.Max(1, settings.MaxConcurrentStreams),
                Workers = serving.Value.ResolveBatchWorkers(Environment.ProcessorCount),
            });
            var modelId = s.Model.Id;
            batcher.BatchCompleted += size => metrics.RecordStreamBatch(modelId, size);
            lock (_created)
            {
                _created.Add(batcher);
            }

            return batcher;
        });
    }

    private static StreamingRecognitionOptions RecognitionOptions(StreamingServerOptions settings) => new()
    {
        EndpointingEnabled = settings.EndpointingEnabled,
        PauseAfterSpeech = new EndpointRule(true, settings.PauseAfterSpeechSeconds, 0),
        LongSilence = new EndpointRule(false, settings.LongSilenceSeconds, 0),
        MaxSegmentLength = new EndpointRule(false, 0, settings.MaxSegmentSeconds),
    };
}
