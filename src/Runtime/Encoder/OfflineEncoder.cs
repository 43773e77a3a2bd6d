using SpeechServe.Runtime.Models;

namespace SpeechServe.Runtime.Encoder;

/// <summary>
/// Encodes whole utterances as a batch. Long audio runs as a series of windows of whole attention
/// chunks with the streaming caches carried between them, so memory stays bounded by the window, not the
/// utterance; by the chunk mask, the outputs equal a single full-length call.
/// </summary>
public sealed class OfflineEncoder
{
    private readonly EncoderSession _session;
    private readonly int _windowFrames;

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
        var state = EncoderState.Empty(architecture, batch.Count);
        var longest = usableFrames.DefaultIfEmpty(0).Max();

        for (var start = 0; start < longest; start += _windowFrames)
        {
            var frames = Math.Min(_windowFrames, longest - start);
            var features = new float[batch.Count * frames * mels];
            var lengths = new long[batch.Count];
            for (var b = 0; b < batch.Count; b++)
            {
                // A shorter utterance of the batch may have ended before this window: it takes part with
                // length 0 (its rows stay padding), and there is nothing of it to copy in or out.
                lengths[b] = Math.Clamp(usableFrames[b] - start, 0, frames);
                if (lengths[b] > 0)
                {
                    batch[b].Features.AsSpan(start * mels, (int)lengths[b] * mels).CopyTo(features.AsSpan(b * frames * mels));
                }
            }

            var step = _session.Run(features, frames, lengths, state, adapters, fetchEncoderOutput);
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

            state = step.State;
        }

        return outputs;
    }
}
