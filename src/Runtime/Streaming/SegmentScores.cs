using SpeechServe.Runtime.Decoding;

namespace SpeechServe.Runtime.Streaming;

/// <summary>
/// Running confidence figures of a stream's current segment, from the CTC log-probabilities of its frames: the
/// mean log-probability of each frame's most likely token, and the mean posterior of the blank (id 0). Constant
/// memory however long the segment.
/// </summary>
internal sealed class SegmentScores(int vocabularySize)
{
    private double _bestLogProbabilities;
    private double _blankProbabilities;
    private int _frames;

    /// <summary>The current segment's means: average log-probability and no-speech probability (0 and 0 without frames).</summary>
    public (double AverageLogProbability, double NoSpeechProbability) Segment =>
        _frames == 0 ? (0, 0) : (Math.Round(_bestLogProbabilities / _frames, 4), Math.Round(_blankProbabilities / _frames, 4));

    /// <summary>The figures of <paramref name="segment"/>, <paramref name="frameDuration"/> seconds per frame of <paramref name="logProbs"/>.</summary>
    public static TimedSegment Measure(TimedSegment segment, ReadOnlySpan<float> logProbs, int vocabularySize, double frameDuration)
    {
        var frames = logProbs.Length / vocabularySize;
        var first = Math.Clamp((int)Math.Floor(segment.Start / frameDuration), 0, frames);
        var last = Math.Clamp((int)Math.Ceiling(segment.End / frameDuration), first, frames);
        var scores = new SegmentScores(vocabularySize);
        scores.Accept(logProbs[(first * vocabularySize)..(last * vocabularySize)]);
        var (average, noSpeech) = scores.Segment;
        return segment with { AverageLogProbability = average, NoSpeechProbability = noSpeech };
    }

    /// <summary>Adds whole frames of row-major log-probs <c>[frames, V]</c>.</summary>
    public void Accept(ReadOnlySpan<float> logProbs)
    {
        for (var row = 0; row + vocabularySize <= logProbs.Length; row += vocabularySize)
        {
            var frame = logProbs.Slice(row, vocabularySize);
            var best = float.NegativeInfinity;
            foreach (var value in frame)
            {
                best = Math.Max(best, value);
            }

            _bestLogProbabilities += best;
            _blankProbabilities += Math.Exp(frame[0]);
            _frames++;
        }
    }

    /// <summary>Forgets the segment: the next frames start a new one.</summary>
    public void StartSegment() => (_bestLogProbabilities, _blankProbabilities, _frames) = (0, 0, 0);
}
