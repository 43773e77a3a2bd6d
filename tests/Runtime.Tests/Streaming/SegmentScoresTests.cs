using SpeechServe.Runtime.Decoding;
using SpeechServe.Runtime.Streaming;

namespace SpeechServe.Runtime.Tests.Streaming;

public sealed class SegmentScoresTests
{
    [Fact]
    public void Segment_TwoFrames_MeanBestLogProbabilityAndMeanBlankPosterior()
    {
        var scores = new SegmentScores(3);

        // Frame 1: blank 0.5, best token 0.5; frame 2: blank 0.1, best token 0.8.
        scores.Accept([MathF.Log(0.5f), MathF.Log(0.5f), float.NegativeInfinity, MathF.Log(0.1f), MathF.Log(0.8f), MathF.Log(0.1f)]);

        var (average, noSpeech) = scores.Segment;
        Assert.Equal((Math.Log(0.5) + Math.Log(0.8)) / 2, average, 3);
        Assert.Equal(0.3, noSpeech, 3);
    }

    [Fact]
    public void StartSegment_AfterFrames_ForgetsThem()
    {
        var scores = new SegmentScores(2);
        scores.Accept([MathF.Log(0.9f), MathF.Log(0.1f)]);

        scores.StartSegment();

        Assert.Equal((0, 0), scores.Segment);
    }

    [Fact]
    public void Measure_SegmentOfTheSecondFrame_UsesOnlyItsFrames()
    {
        float[] logProbs = [0, float.NegativeInfinity, float.NegativeInfinity, 0];
        var segment = new TimedSegment(0, "a", 0.04, 0.08, []);

        var measured = SegmentScores.Measure(segment, logProbs, 2, 0.04);

        Assert.Equal((0, 0), (measured.AverageLogProbability, measured.NoSpeechProbability));
    }
}
