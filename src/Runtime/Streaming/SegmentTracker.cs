using SpeechServe.Runtime.Decoding;

namespace SpeechServe.Runtime.Streaming;

/// <summary>
/// Splits a stream's greedy CTC decoding into segments at endpoints and says what to send after each chunk.
/// A segment owns the tokens that start in it, so the segments' tokens, in order, are exactly the stream's
/// tokens: endpointing never changes what is recognised, only where the finals fall. The work per chunk is
/// bounded by the segment's length, not the stream's. With a <see cref="SegmentFinalDecoder"/>, a final's text
/// comes from the language-model search over the segment's frames instead (partials stay greedy).
/// </summary>
internal sealed class SegmentTracker(
    StreamingGreedyCtcDecoder decoder, TokenVocabulary vocabulary, StreamingRecognitionOptions options, SegmentFinalDecoder? finals = null, SegmentScores? scores = null)
{
    /// <summary>Seconds per encoder frame.</summary>
    public const double FrameSeconds = StreamingResult.FrameSeconds;

    private int _segmentStartFrame;
    private int _firstToken;
    private int _segment;
    private string _lastPartial = string.Empty;

    /// <summary>Finals sent so far.</summary>
    public int FinalCount => _segment;

    /// <summary>Checks the endpoint rules after a chunk was decoded; adds a final or a changed partial.</summary>
    public void AfterChunk(List<StreamingResult> results)
    {
        var tokens = SegmentTokens();
        var frames = decoder.FrameCount;
        var text = vocabulary.Detokenize(tokens.Select(t => t.Id));
        var start = _segmentStartFrame * FrameSeconds;
        if (options.EndpointingEnabled && IsEndpoint(tokens, frames))
        {
            if (tokens.Count > 0)
            {
                results.Add(Final(tokens, start, frames * FrameSeconds));
            }

            finals?.StartSegment();
            scores?.StartSegment();
            _segmentStartFrame = frames;
            _firstToken = decoder.StableTokens.Count + (decoder.OpenToken is null ? 0 : 1);
            _lastPartial = string.Empty;
            return;
        }

        if (text != _lastPartial)
        {
            _lastPartial = text;
            results.Add(new StreamingResult(StreamingResultKind.Partial, text, _segment, start, frames * FrameSeconds) { Tokens = tokens });
        }
    }

    /// <summary>
    /// Adds the last segment's final at the end of the stream: when it holds text, or when the stream had no
    /// final yet (so every stream ends with at least one final).
    /// </summary>
    public void Finish(List<StreamingResult> results, double audioSeconds)
    {
        var tokens = SegmentTokens();
        if (tokens.Count == 0 && _segment > 0)
        {
            return;
        }

        var start = Math.Min(_segmentStartFrame * FrameSeconds, audioSeconds);
        results.Add(Final(tokens, start, Math.Max(start, audioSeconds)));
    }

    // The language-model search's tokens when there is one (its frames moved to the stream's), else the greedy ones.
    private StreamingResult Final(List<AlignedToken> greedy, double start, double end)
    {
        IReadOnlyList<AlignedToken> tokens = finals?.Decode() is { } searched
            ? searched.Select(t => t with { StartFrame = t.StartFrame + _segmentStartFrame, EndFrame = t.EndFrame + _segmentStartFrame }).ToList()
            : greedy;
        var (averageLogProbability, noSpeechProbability) = scores?.Segment ?? (0, 0);
        return new StreamingResult(StreamingResultKind.Final, vocabulary.Detokenize(tokens.Select(t => t.Id)), _segment++, start, end)
        {
            Tokens = tokens,
            AverageLogProbability = averageLogProbability,
            NoSpeechProbability = noSpeechProbability,
        };
    }

    private bool IsEndpoint(List<AlignedToken> tokens, int frames)
    {
        var speechEnd = decoder.OpenToken is not null ? frames : tokens.Count > 0 ? tokens[^1].EndFrame : _segmentStartFrame;
        var trailingSilence = (frames - Math.Max(speechEnd, _segmentStartFrame)) * FrameSeconds;
        var length = (frames - _segmentStartFrame) * FrameSeconds;
        return options.Rules.Any(rule => rule.IsMet(tokens.Count > 0, trailingSilence, length));
    }

    private List<AlignedToken> SegmentTokens()
    {
        var stable = decoder.StableTokens;
        var tokens = new List<AlignedToken>(Math.Max(0, stable.Count - _firstToken) + 1);
        for (var i = _firstToken; i < stable.Count; i++)
        {
            tokens.Add(stable[i]);
        }

        if (decoder.OpenToken is { } open && stable.Count >= _firstToken)
        {
            tokens.Add(open);
        }

        return tokens;
    }
}
