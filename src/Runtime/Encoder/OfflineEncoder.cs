using System.Buffers;
using SpeechServe.Runtime.Models;

namespace SpeechServe.Runtime.Encoder;

/// <summary>
/// Encodes whole utterances as a batch. Long audio runs as a series of windows of whole attention
/// chunks with the streaming caches carried between them, so memory stays bounded by the window, not the
/// utterance; by the chunk mask, the outputs equal a single full-length call.
/// </summary>
public sealed class OfflineEncoder
{
    // Batches up to this size share one set of empty caches each; larger ones get their own.
    private const int MaxSharedEmptyStates = 32;

    private readonly EncoderSession _session;
    private readonly int _windowFrames;
    private readonly EncoderState?[] _emptyStates = new EncoderState?[MaxSharedEmptyStates + 1];

    /// <param name="session">The encoder.</param>
    /// <param name="windowChunks">Attention chunks per encoder call.</param>
    public OfflineEncoder(EncoderSession session, int windowChunks = 16)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowChunks, 1);
        _session = session;
        _windowFrames = windowChunks * session.Architecture.ChunkFeatureFrames;
    }

    /// <summary>CTC log-probabilities per utterance, <c>[frames / 4, V]</c> row-major.</summary>
    public IReadOnlyList<float[]> Encode(IReadOnlyList<EncoderRequest> batch) =>
        Encode(batch, _session.Architecture.VocabSize, fetchEncoderOutput: false);

    /// <summary>
    /// The encoder output after each utterance's adapter, <c>[frames / 4, d]</c> row-major: the input of a
    /// translation decoder. Recognition does not fetch it, so its cost is unchanged.
    /// </summary>
    public IReadOnlyList<float[]> EncodeOutputs(IReadOnlyList<EncoderRequest> batch) =>
        Encode(batch, _session.Architecture.DModel, fetchEncoderOutput: true);

    private float[][] Encode(IReadOnlyList<EncoderRequest> batch, int width, bool fetchEncoderOutput)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var architecture = _session.Architecture;
        var (mels, subsampling) = (architecture.NMels, EncoderArchitecture.Subsampling);
        var usableFrames = batch.Select(r => r.Frames / subsampling * subsampling).ToArray();
        var outputs = usableFrames.Select(f => new float[f / subsampling * width]).ToArray();
        var adapters = batch.Select(r => r.Adapter).ToArray();
        var state = EmptyState(batch.Count);
        var longest = usableFrames.DefaultIfEmpty(0).Max();
        // A lone utterance's windows are slices of its own features; a batch's are copied into one pooled buffer.
        var window = batch.Count > 1 ? ArrayPool<float>.Shared.Rent(batch.Count * Math.Min(_windowFrames, longest) * mels) : null;
        try
        {
            for (var start = 0; start < longest; start += _windowFrames)
            {
                var frames = Math.Min(_windowFrames, longest - start);
                var lengths = new long[batch.Count];
                var features = WindowFeatures(batch, usableFrames, start, frames, lengths, window);
                var last = start + frames >= longest;
                var step = _session.Run(features, frames, lengths, state, adapters, fetchEncoderOutput, fetchState: !last);
                var rows = fetchEncoderOutput ? step.EncoderOutput! : step.LogProbabilities;
                for (var b = 0; b < batch.Count; b++)
                {
                    var valid = (int)step.OutputLengths[b] * width;
                    if (valid == 0)
                    {
                        continue;
                    }

                    rows.AsSpan(b * step.OutputFrames * width, valid).CopyTo(outputs[b].AsSpan(start / subsampling * width));
                }

                state = step.State ?? state;
            }
        }
        finally
        {
            if (window is not null)
            {
                ArrayPool<float>.Shared.Return(window);
            }
        }

        return outputs;
    }

    /// <summary>
    /// The features of one window, <c>[B, frames, n_mels]</c> zero-padded: without a <paramref name="buffer"/> (a lone
    /// utterance), a slice of its own features; else a copy into the buffer. Sets each element's valid frames.
    /// </summary>
    private ReadOnlyMemory<float> WindowFeatures(IReadOnlyList<EncoderRequest> batch, int[] usableFrames, int start, int frames, long[] lengths, float[]? buffer)
    {
        var mels = _session.Architecture.NMels;
        for (var b = 0; b < batch.Count; b++)
        {
            // A shorter utterance of the batch may have ended before this window: it takes part with length 0
            // (its rows stay padding), and there is nothing of it to copy in.
            lengths[b] = Math.Clamp(usableFrames[b] - start, 0, frames);
        }

        if (buffer is null)
        {
            return batch[0].Features.AsMemory(start * mels, frames * mels);
        }

        var features = buffer.AsSpan(0, batch.Count * frames * mels);
        features.Clear();
        for (var b = 0; b < batch.Count; b++)
        {
            if (lengths[b] > 0)
            {
                batch[b].Features.AsSpan(start * mels, (int)lengths[b] * mels).CopyTo(features[(b * frames * mels)..]);
            }
        }

        return buffer.AsMemory(0, features.Length);
    }

    /// <summary>Empty caches for a batch of <paramref name="size"/>, made once per size and shared: runs only read them.</summary>
    private EncoderState EmptyState(int size)
    {
        if (size >= _emptyStates.Length)
        {
            return EncoderState.Empty(_session.Architecture, size);
        }

        return _emptyStates[size] ??= EncoderState.Empty(_session.Architecture, size);
    }
}
