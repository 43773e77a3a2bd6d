using SpeechServe.Runtime.Batching;
using SpeechServe.Runtime.Encoder;

namespace SpeechServe.Runtime.Streaming;

/// <summary>One stream's next chunk for the encoder, with the stream's caches and adapter.</summary>
/// <param name="Features">Log-mel features <c>[Frames, n_mels]</c>, zero-padded past <paramref name="ValidFrames"/>.</param>
/// <param name="Frames">Feature frames: a multiple of 4 (a whole attention chunk, or the stream's last, shorter one).</param>
/// <param name="ValidFrames">Feature frames that hold audio.</param>
/// <param name="State">The stream's caches (batch size 1).</param>
/// <param name="Adapter">The stream's adapter and head.</param>
public sealed record EncoderChunk(float[] Features, int Frames, int ValidFrames, EncoderState State, AdapterWeights Adapter);

/// <summary>
/// Runs the chunks of concurrent streams in shared encoder calls: a <see cref="DynamicBatcher{TRequest, TResult}"/> gathers
/// the chunks that are ready (up to <see cref="BatchingOptions.MaxBatchSize"/>, waiting at most
/// <see cref="BatchingOptions.MaxWait"/> and only for streams that announced a chunk), stacks their features and caches
/// along the batch axis with each element's own adapter, and splits the outputs and new caches back per stream. The
/// results equal those of one call per chunk within float tolerance. A failed call fails the chunks of its batch only.
/// </summary>
public sealed class StreamingChunkBatcher : IAsyncDisposable
{
    private readonly EncoderSession _encoder;
    private readonly DynamicBatcher<EncoderChunk, EncoderStepResult> _batcher;

    /// <param name="encoder">The loaded encoder; owned by the caller.</param>
    /// <param name="options">Batch size, wait and queue limits (the queue should hold a chunk of every open stream).</param>
    public StreamingChunkBatcher(EncoderSession encoder, BatchingOptions options)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        _encoder = encoder;
        _batcher = new DynamicBatcher<EncoderChunk, EncoderStepResult>((chunks, _) => Run(chunks), options);
    }

    /// <summary>Chunks waiting for the encoder.</summary>
    public int QueueDepth => _batcher.QueueDepth;

    /// <summary>Raised after each batch with its size (streams in it).</summary>
    public event Action<int>? BatchCompleted
    {
        add => _batcher.BatchCompleted += value;
        remove => _batcher.BatchCompleted -= value;
    }

    /// <summary>Announces a chunk that a stream is about to submit (its features being computed).</summary>
    public BatchAnnouncement<EncoderChunk, EncoderStepResult> Announce() => _batcher.Announce();

    /// <summary>Queues a chunk; completes with its result (batch size 1) once its batch has run.</summary>
    public Task<EncoderStepResult> EnqueueAsync(EncoderChunk chunk, CancellationToken cancellationToken = default) =>
        _batcher.EnqueueAsync(chunk, cancellationToken);

    /// <summary>
    /// Runs chunks of different streams now, in one encoder call per distinct chunk length (every chunk but a
    /// stream's last is a whole attention chunk, so that is one call in practice); one result per chunk, in order.
    /// </summary>
    public IReadOnlyList<EncoderStepResult> Run(IReadOnlyList<EncoderChunk> chunks)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        var results = new EncoderStepResult[chunks.Count];
        foreach (var group in Enumerable.Range(0, chunks.Count).GroupBy(i => chunks[i].Frames))
        {
            var members = group.Select(i => chunks[i]).ToList();
            var step = RunStacked(members, group.Key);
            var index = 0;
            foreach (var i in group)
            {
                results[i] = Element(step, index++);
            }
        }

        return results;
    }

    /// <summary>Stops taking chunks, runs the ones already queued and waits for the worker; idempotent.</summary>
    public ValueTask DisposeAsync() => _batcher.DisposeAsync();

    private EncoderStepResult RunStacked(List<EncoderChunk> chunks, int frames)
    {
        var architecture = _encoder.Architecture;
        var size = frames * architecture.NMels;
        var features = new float[chunks.Count * size];
        var lengths = new long[chunks.Count];
        for (var b = 0; b < chunks.Count; b++)
        {
            chunks[b].Features.AsSpan(0, size).CopyTo(features.AsSpan(b * size));
            lengths[b] = chunks[b].ValidFrames;
        }

        var state = chunks.Count == 1 ? chunks[0].State : EncoderState.Stack(architecture, chunks.ConvertAll(c => c.State));
        return _encoder.Run(features, frames, lengths, state, chunks.ConvertAll(c => c.Adapter));
    }

    private EncoderStepResult Element(EncoderStepResult step, int index)
    {
        var state = step.State!; // fetched: a stream's calls keep their caches
        if (state.BatchSize == 1)
        {
            return step;
        }

        var rows = step.OutputFrames * _encoder.Architecture.VocabSize;
        return new EncoderStepResult(
            step.LogProbabilities.AsSpan(index * rows, rows).ToArray(), step.OutputFrames, [step.OutputLengths[index]], state.Element(_encoder.Architecture, index));
    }
}
