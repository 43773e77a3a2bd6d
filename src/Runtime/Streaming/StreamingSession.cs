using SpeechServe.Runtime.Batching;
using SpeechServe.Runtime.Decoding;
using SpeechServe.Runtime.Encoder;
using SpeechServe.Runtime.Features;
using SpeechServe.Runtime.Models;

namespace SpeechServe.Runtime.Streaming;

/// <summary>
/// One audio stream being recognised: resampling to 16 kHz, incremental log-mel features, the encoder one
/// attention chunk (32 feature frames, 320 ms) at a time with the stream's own caches, incremental greedy CTC
/// and endpointing. Every chunk costs the same however long the stream is. Without a language model, the final
/// texts, in order, hold exactly the tokens that the offline greedy recognizer finds for the same audio; with
/// one, each final is the language-model search over its segment's frames. Through <see cref="AcceptAsync"/> and
/// <see cref="FinishAsync"/> the chunks run in encoder calls shared with other streams when the recognizer batches
/// them; the results are the same. Not thread-safe: one caller at a time.
/// </summary>
public sealed class StreamingSession
{
    private readonly EncoderSession _encoder;
    private readonly IEncoderRunPolicy? _runPolicy;
    private readonly StreamingChunkBatcher? _batcher;
    private readonly AdapterWeights[] _adapter;
    private readonly StreamingResampler? _resampler;
    private readonly StreamingLogMelFrontend _frontend = new();
    private readonly StreamingGreedyCtcDecoder _decoder;
    private readonly SegmentTracker _segments;
    private readonly SegmentFinalDecoder? _finals;
    private readonly SegmentScores _scores;
    private readonly float[] _chunk;
    private readonly int _chunkFrames;
    private int _chunkFill;
    private EncoderState _state;
    private long _samplesReceived;

    internal StreamingSession(
        EncoderSession encoder,
        TokenVocabulary vocabulary,
        AdapterWeights adapter,
        int sampleRate,
        StreamingRecognitionOptions options,
        LexiconBeamSearch? lexiconSearch,
        IEncoderRunPolicy? runPolicy,
        HotwordBoosts? hotwords,
        StreamingChunkBatcher? batcher)
    {
        _encoder = encoder;
        _runPolicy = runPolicy;
        _batcher = batcher;
        _adapter = [adapter];
        SampleRate = sampleRate;
        _resampler = sampleRate == LogMelSpec.SampleRate ? null : new StreamingResampler(sampleRate, LogMelSpec.SampleRate);
        _decoder = new StreamingGreedyCtcDecoder(encoder.Architecture.VocabSize);
        _finals = lexiconSearch is null ? null : new SegmentFinalDecoder(lexiconSearch, vocabulary, (int)(options.LanguageModelMaxSegmentSeconds / SegmentTracker.FrameSeconds), hotwords);
        _scores = new SegmentScores(encoder.Architecture.VocabSize);
        _segments = new SegmentTracker(_decoder, vocabulary, options, _finals, _scores);
        _chunkFrames = encoder.Architecture.ChunkFeatureFrames;
        _chunk = new float[_chunkFrames * LogMelSpec.MelBins];
        _state = EncoderState.Empty(encoder.Architecture, 1);
    }

    /// <summary>The client's sample rate in Hz.</summary>
    public int SampleRate { get; }

    /// <summary>Seconds of audio received.</summary>
    public double AudioSeconds => _samplesReceived / (double)SampleRate;

    /// <summary>Chunks encoded so far (each in a call of its own or shared with other streams).</summary>
    public int ChunksEncoded { get; private set; }

    /// <summary>True once <see cref="Finish"/> or <see cref="FinishAsync"/> ran; the stream takes no more audio.</summary>
    public bool IsFinished { get; private set; }

    /// <summary>
    /// Feeds audio at <see cref="SampleRate"/>; returns the partials and finals it produced. The encoder runs on the
    /// calling thread, one chunk per call, whether or not the recognizer batches streams. When an encoder run
    /// throws (ONNX Runtime failed, or the run policy refused it), the exception propagates, the results of this
    /// call are lost and the session must not be used again.
    /// </summary>
    public IReadOnlyList<StreamingResult> Accept(ReadOnlySpan<float> samples)
    {
        var results = new List<StreamingResult>();
        foreach (var chunk in TakeChunks(samples))
        {
            Apply(RunAlone(chunk), results);
        }

        return results;
    }

    /// <summary>
    /// <see cref="Accept"/> with the recognizer's batching: the chunks this audio completes run in encoder calls
    /// shared with other streams' chunks (<see cref="StreamingChunkBatcher"/>), or alone, synchronously, when the
    /// recognizer does not batch. Failures as for <see cref="Accept"/>; one call at a time.
    /// </summary>
    public async Task<IReadOnlyList<StreamingResult>> AcceptAsync(ReadOnlyMemory<float> samples, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(IsFinished, this);
        if (_batcher is null)
        {
            return Accept(samples.Span);
        }

        var results = new List<StreamingResult>();
        var announcement = CompletesChunk(samples.Length) ? _batcher.Announce() : null;
        try
        {
            foreach (var chunk in TakeChunks(samples.Span))
            {
                Apply(await RunBatchedAsync(chunk, announcement, cancellationToken).ConfigureAwait(false), results);
                announcement = null;
            }
        }
        finally
        {
            announcement?.Dispose();
        }

        return results;
    }

    /// <summary>Ends the stream: encodes the last, partial chunk and returns the remaining results, the last final included.</summary>
    public IReadOnlyList<StreamingResult> Finish()
    {
        var (chunks, last) = TakeLastChunks();
        var results = new List<StreamingResult>();
        foreach (var chunk in chunks)
        {
            Apply(RunAlone(chunk), results);
        }

        return FinishWith(last is null ? null : RunAlone(last), results);
    }

    /// <summary><see cref="Finish"/> with the recognizer's batching (see <see cref="AcceptAsync"/>).</summary>
    public async Task<IReadOnlyList<StreamingResult>> FinishAsync(CancellationToken cancellationToken = default)
    {
        if (_batcher is null)
        {
            return Finish();
        }

        var (chunks, last) = TakeLastChunks();
        var results = new List<StreamingResult>();
        foreach (var chunk in chunks)
        {
            Apply(await RunBatchedAsync(chunk, null, cancellationToken).ConfigureAwait(false), results);
        }

        return FinishWith(last is null ? null : await RunBatchedAsync(last, null, cancellationToken).ConfigureAwait(false), results);
    }

    /// <summary>Resamples and computes the features of <paramref name="samples"/>; returns the chunks they complete.</summary>
    private List<PendingChunk> TakeChunks(ReadOnlySpan<float> samples)
    {
        ObjectDisposedException.ThrowIf(IsFinished, this);
        _samplesReceived += samples.Length;
        var resampled = _resampler is null ? samples : _resampler.Accept(samples);
        return AddFeatures(_frontend.Accept(resampled));
    }

    /// <summary>Ends the audio: the whole chunks the resampler's tail completes, and the last, partial chunk if any.</summary>
    private (List<PendingChunk> Chunks, PendingChunk? Last) TakeLastChunks()
    {
        ObjectDisposedException.ThrowIf(IsFinished, this);
        IsFinished = true;
        var chunks = _resampler is null ? [] : AddFeatures(_frontend.Accept(_resampler.Finish()));

        // A partial chunk ends the stream: pad to a multiple of 4 frames; the valid length drops the remainder,
        // as the offline encoder does.
        if (_chunkFill < EncoderArchitecture.Subsampling)
        {
            return (chunks, null);
        }

        var frames = (_chunkFill + EncoderArchitecture.Subsampling - 1) / EncoderArchitecture.Subsampling * EncoderArchitecture.Subsampling;
        var features = new float[frames * LogMelSpec.MelBins];
        _chunk.AsSpan(0, _chunkFill * LogMelSpec.MelBins).CopyTo(features);
        return (chunks, new PendingChunk(features, frames, _chunkFill));
    }

    private List<StreamingResult> FinishWith(EncoderStepResult? last, List<StreamingResult> results)
    {
        if (last is not null)
        {
            Apply(last, results);
            results.RemoveAll(r => r.Kind == StreamingResultKind.Partial);
        }

        _segments.Finish(results, AudioSeconds);
        return results;
    }

    private List<PendingChunk> AddFeatures(ReadOnlySpan<float> features)
    {
        var chunks = new List<PendingChunk>();
        var mels = LogMelSpec.MelBins;
        while (!features.IsEmpty)
        {
            var take = Math.Min(features.Length / mels, _chunkFrames - _chunkFill);
            features[..(take * mels)].CopyTo(_chunk.AsSpan(_chunkFill * mels));
            features = features[(take * mels)..];
            _chunkFill += take;
            if (_chunkFill == _chunkFrames)
            {
                chunks.Add(new PendingChunk((float[])_chunk.Clone(), _chunkFrames, _chunkFrames));
                _chunkFill = 0;
            }
        }

        return chunks;
    }

    /// <summary>Whether <paramref name="samples"/> more input samples are about to complete a chunk (an estimate that errs towards yes).</summary>
    private bool CompletesChunk(int samples)
    {
        var resampled = (long)Math.Ceiling(samples * (double)LogMelSpec.SampleRate / SampleRate);
        var frames = LogMelSpec.FrameCount(_frontend.SamplesAccepted + resampled) - _frontend.FramesEmitted;
        return _chunkFill + frames >= _chunkFrames;
    }

    private EncoderStepResult RunAlone(PendingChunk chunk)
    {
        var (features, frames, valid, state) = (chunk.Features, chunk.Frames, (long)chunk.ValidFrames, _state);
        return _runPolicy is null
            ? _encoder.Run(features, frames, [valid], state, _adapter)
            : _runPolicy.Execute(() => _encoder.Run(features, frames, [valid], state, _adapter));
    }

    private Task<EncoderStepResult> RunBatchedAsync(
        PendingChunk chunk, BatchAnnouncement<EncoderChunk, EncoderStepResult>? announcement, CancellationToken cancellationToken)
    {
        // The caches after the previous chunk: Apply set them before this chunk runs.
        var ready = new EncoderChunk(chunk.Features, chunk.Frames, chunk.ValidFrames, _state, _adapter[0]);
        Task<EncoderStepResult> Enqueue(CancellationToken token) =>
            announcement?.EnqueueAsync(ready, token) ?? _batcher!.EnqueueAsync(ready, token);
        return _runPolicy is null ? Enqueue(cancellationToken) : _runPolicy.ExecuteAsync(Enqueue, cancellationToken);
    }

    private void Apply(EncoderStepResult step, List<StreamingResult> results)
    {
        _state = step.State!; // fetched: a stream's calls keep their caches
        var logProbs = step.LogProbabilities.AsSpan(0, (int)step.OutputLengths[0] * _encoder.Architecture.VocabSize);
        _decoder.Accept(logProbs);
        _finals?.Accept(logProbs);
        _scores.Accept(logProbs);
        ChunksEncoded++;
        _segments.AfterChunk(results);
    }

    /// <summary>Features of one chunk that completed, waiting for the encoder.</summary>
    private sealed record PendingChunk(float[] Features, int Frames, int ValidFrames);
}
