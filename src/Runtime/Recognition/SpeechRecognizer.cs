using System.Buffers;
using System.Diagnostics;
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
    private readonly DynamicBatcher<QueuedUtterance, float[]> _batcher;
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
        _batcher = new DynamicBatcher<QueuedUtterance, float[]>((batch, _) => Encode(offline, batch), options.Batching, utterance => utterance.Request.Frames);
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

    /// <summary>
    /// Transcribes <paramref name="samples"/> (mono, 16 kHz) with <paramref name="adapter"/>; <paramref name="hotwords"/> apply to
    /// the lexicon search. A successful call adds its stages to <paramref name="timings"/> when given.
    /// </summary>
    public async Task<Transcript> TranscribeAsync(
        float[] samples, AdapterWeights adapter, HotwordBoosts? hotwords = null, RecognitionTimings? timings = null, CancellationToken cancellationToken = default)
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
                var featuresStarted = Stopwatch.GetTimestamp();
                LogMelFrontend.Compute(samples, features);
                var queued = Stopwatch.GetTimestamp();
                timings?.AddFeatures(featuresStarted, queued);
                encoding = announcement.EnqueueAsync(new QueuedUtterance(new EncoderRequest(features, frames, adapter), queued, timings), cancellationToken);
            }

            // The task ends only once the batcher is done with the features: refused, dropped before its batch, or run.
            logProbs = await encoding.ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(features);
        }

        var decodingStarted = Stopwatch.GetTimestamp();
        var hypothesis = _lexiconSearch?.Decode(logProbs, _vocabularySize, hotwords)
            ?? _beamSearch?.Decode(logProbs, _vocabularySize)
            ?? GreedyCtcDecoder.Decode(logProbs, _vocabularySize);
        var timestamps = _options.Timestamps with { AudioDuration = samples.Length / (double)LogMelSpec.SampleRate };
        var transcript = TranscriptBuilder.Build(hypothesis, _vocabulary, timestamps);
        var scored = transcript with { Segments = transcript.Segments.Select(s => SegmentScores.Measure(s, logProbs, _vocabularySize, timestamps.FrameDuration)).ToList() };
        timings?.AddDecoding(decodingStarted, Stopwatch.GetTimestamp());
        return scored;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _batcher.DisposeAsync();

    /// <summary>Runs one batch and adds its wait and run to the timings of each utterance that has them.</summary>
    private static IReadOnlyList<float[]> Encode(OfflineEncoder encoder, IReadOnlyList<QueuedUtterance> batch)
    {
        var started = Stopwatch.GetTimestamp();
        var results = encoder.Encode(batch.Select(utterance => utterance.Request).ToList());
        var ended = Stopwatch.GetTimestamp();
        foreach (var utterance in batch)
        {
            utterance.Timings?.AddBatch(utterance.Queued, started, ended);
        }

        return results;
    }

    /// <summary>An utterance in the encoder queue: its request, the <see cref="Stopwatch.GetTimestamp"/> it was queued at and the timings it adds to.</summary>
    private sealed record QueuedUtterance(EncoderRequest Request, long Queued, RecognitionTimings? Timings);
}
