using System.Buffers;
using SpeechServe.Runtime.Batching;
using SpeechServe.Runtime.Decoding;
using SpeechServe.Runtime.Encoder;
using SpeechServe.Runtime.Features;
using SpeechServe.Runtime.Streaming;

namespace SpeechServe.Runtime.Recognition;

/// <summary>
/// Turns 16 kHz audio into a transcript: log-mel features on the caller's thread, the encoder in dynamic
/// batches shared by every domain (each element with its own adapter; <see cref="BatchingOptions.Workers"/> batches at
/// once, a full queue bucketed by length), then CTC decoding with timestamps:
/// the lexicon-constrained search with the model's language model when there is one, else plain beam search
/// or greedy decoding by <see cref="RecognitionOptions.BeamWidth"/>.
/// </summary>
public sealed class SpeechRecognizer : IAsyncDisposable
{
    private readonly DynamicBatcher<EncoderRequest, float[]> _batcher;
    private readonly TokenVocabulary _vocabulary;
    private readonly RecognitionOptions _options;
    private readonly CtcPrefixBeamSearch? _beamSearch;
    private readonly LexiconBeamSearch? _lexiconSearch;
    private readonly int _vocabularySize;

    /// <param name="encoder">The loaded encoder; owned by the caller.</param>
    /// <param name="vocabulary">The CTC vocabulary.</param>
    /// <param name="options">Batching and decoding settings.</param>
    /// <param name="lexiconSearch">The search over the model's language model; null decodes without one.</param>
    public SpeechRecognizer(EncoderSession encoder, TokenVocabulary vocabulary, RecognitionOptions options, LexiconBeamSearch? lexiconSearch = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(options);
        if (vocabulary.Count != encoder.Architecture.VocabSize)
        {
            throw new InvalidDataException($"The vocabulary has {vocabulary.Count} tokens but the encoder predicts {encoder.Architecture.VocabSize}.");
        }

        var offline = new OfflineEncoder(encoder, options.WindowChunks);
        _batcher = new DynamicBatcher<EncoderRequest, float[]>((batch, _) => offline.Encode(batch), options.Batching, request => request.Frames);
        _vocabulary = vocabulary;
        _options = options;
        _vocabularySize = vocabulary.Count;
        _lexiconSearch = lexiconSearch;
        _beamSearch = options.BeamWidth > 1 ? new CtcPrefixBeamSearch(options.BeamWidth) : null;
    }

    /// <summary>Requests waiting for the encoder.</summary>
    public int QueueDepth => _batcher.QueueDepth;

    /// <summary>Raised after each encoder batch with its size.</summary>
    public event Action<int>? BatchCompleted
    {
        add => _batcher.BatchCompleted += value;
        remove => _batcher.BatchCompleted -= value;
    }

    /// <summary>Transcribes <paramref name="samples"/> (mono, 16 kHz) with <paramref name="adapter"/>; <paramref name="hotwords"/> apply to the lexicon search.</summary>
    public async Task<Transcript> TranscribeAsync(float[] samples, AdapterWeights adapter, HotwordBoosts? hotwords = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(adapter);
        var frames = LogMelSpec.FrameCount(samples.Length);
        var features = ArrayPool<float>.Shared.Rent(frames * LogMelSpec.MelBins);
        float[] logProbs;
        try
        {
            Task<float[]> encoding;
            using (var announcement = _batcher.Announce())
            {
                LogMelFrontend.Compute(samples, features);
                encoding = announcement.EnqueueAsync(new EncoderRequest(features, frames, adapter), cancellationToken);
            }

            // The task ends only once the batcher is done with the features: refused, dropped before its batch, or run.
            logProbs = await encoding.ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(features);
        }

        var hypothesis = _lexiconSearch?.Decode(logProbs, _vocabularySize, hotwords)
            ?? _beamSearch?.Decode(logProbs, _vocabularySize)
            ?? GreedyCtcDecoder.Decode(logProbs, _vocabularySize);
        var timestamps = _options.Timestamps with { AudioDuration = samples.Length / (double)LogMelSpec.SampleRate };
        var transcript = TranscriptBuilder.Build(hypothesis, _vocabulary, timestamps);
        return transcript with { Segments = transcript.Segments.Select(s => SegmentScores.Measure(s, logProbs, _vocabularySize, timestamps.FrameDuration)).ToList() };
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _batcher.DisposeAsync();
}
