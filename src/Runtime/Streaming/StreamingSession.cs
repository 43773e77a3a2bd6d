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
/// one, each final is the language-model search over its segment's frames. Not thread-safe: one caller at a time.
/// </summary>
public sealed class StreamingSession
{
    private readonly EncoderSession _encoder;
    private readonly IEncoderRunPolicy? _runPolicy;
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
        HotwordBoosts? hotwords)
    {
        _encoder = encoder;
        _runPolicy = runPolicy;
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

    /// <summary>Encoder calls made so far.</summary>
    public int ChunksEncoded { get; private set; }

    /// <summary>True once <see cref="Finish"/> ran; the stream takes no more audio.</summary>
    public bool IsFinished { get; private set; }

    /// <summary>
    /// Feeds audio at <see cref="SampleRate"/>; returns the partials and finals it produced. When an encoder run
    /// throws (ONNX Runtime failed, or the run policy refused it), the exception propagates, the results of this
    /// call are lost and the session must not be used again.
    /// </summary>
    public IReadOnlyList<StreamingResult> Accept(ReadOnlySpan<float> samples)
    {
        ObjectDisposedException.ThrowIf(IsFinished, this);
        _samplesReceived += samples.Length;
        var results = new List<StreamingResult>();
        var resampled = _resampler is null ? samples : _resampler.Accept(samples);
        AddFeatures(_frontend.Accept(resampled), results);
        return results;
    }

    /// <summary>Ends the stream: encodes the last, partial chunk and returns the remaining results, the last final included.</summary>
    public IReadOnlyList<StreamingResult> Finish()
    {
        ObjectDisposedException.ThrowIf(IsFinished, this);
        IsFinished = true;
        var results = new List<StreamingResult>();
        if (_resampler is not null)
        {
            AddFeatures(_frontend.Accept(_resampler.Finish()), results);
        }

        // A partial chunk ends the stream: pad to a multiple of 4 frames; the valid length drops the remainder,
        // as the offline encoder does.
        if (_chunkFill >= EncoderArchitecture.Subsampling)
        {
            var frames = (_chunkFill + EncoderArchitecture.Subsampling - 1) / EncoderArchitecture.Subsampling * EncoderArchitecture.Subsampling;
            Encode(frames, _chunkFill);
            _segments.AfterChunk(results);
            results.RemoveAll(r => r.Kind == StreamingResultKind.Partial);
        }

        _segments.Finish(results, AudioSeconds);
        return results;
    }

    private void AddFeatures(ReadOnlySpan<float> features, List<StreamingResult> results)
    {
        var mels = LogMelSpec.MelBins;
        while (!features.IsEmpty)
        {
            var take = Math.Min(features.Length / mels, _chunkFrames - _chunkFill);
            features[..(take * mels)].CopyTo(_chunk.AsSpan(_chunkFill * mels));
            features = features[(take * mels)..];
            _chunkFill += take;
            if (_chunkFill == _chunkFrames)
            {
                Encode(_chunkFrames, _chunkFrames);
                _segments.AfterChunk(results);
            }
        }
    }

    private void Encode(int frames, int valid)
    {
        var features = frames == _chunkFrames ? _chunk : _chunk.AsSpan(0, frames * LogMelSpec.MelBins).ToArray();
        _chunk.AsSpan(valid * LogMelSpec.MelBins).Clear();
        var step = _runPolicy is null
            ? _encoder.Run(features, frames, [valid], _state, _adapter)
            : _runPolicy.Execute(() => _encoder.Run(features, frames, [valid], _state, _adapter));
        _state = step.State!; // fetched: a stream's calls keep their caches
        var logProbs = step.LogProbabilities.AsSpan(0, (int)step.OutputLengths[0] * _encoder.Architecture.VocabSize);
        _decoder.Accept(logProbs);
        _finals?.Accept(logProbs);
        _scores.Accept(logProbs);
        _chunkFill = 0;
        ChunksEncoded++;
    }
}
