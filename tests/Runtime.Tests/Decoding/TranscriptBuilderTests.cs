using SpeechServe.Runtime.Decoding;

namespace SpeechServe.Runtime.Tests.Decoding;

public class TranscriptBuilderTests
{
    private static readonly int V = CtcTestData.Reference.Count;

    [Fact]
    public void Build_TwoWords_TimesFromFirstAndLastTokenFrames()
    {
        // h at 1-2, i at 4; boundary at 6; y at 8, o at 10-11.
        var hypothesis = GreedyCtcDecoder.Decode(CtcTestData.Peaky("_hh_i_|_y_oo__"), V);

        var transcript = TranscriptBuilder.Build(hypothesis, CtcTestData.Reference);

        Assert.Equal("hi yo", transcript.Text);
        Assert.Equal([new TimedWord("hi", 0.04, 0.20), new TimedWord("yo", 0.32, 0.48)], transcript.Words.Select(Round));
        var segment = Assert.Single(transcript.Segments);
        Assert.Equal("hi yo", segment.Text);
        Assert.Equal(0.04, segment.Start, 9);
        Assert.Equal(0.48, segment.End, 9);
    }

    [Fact]
    public void Build_LongPause_StartsNewSegment()
    {
        var path = "_a_|" + new string('_', 25) + "|b_";
        var hypothesis = GreedyCtcDecoder.Decode(CtcTestData.Peaky(path), V);

        var transcript = TranscriptBuilder.Build(hypothesis, CtcTestData.Reference, new TimestampOptions { SegmentPause = 0.8 });

        Assert.Equal(["a", "b"], transcript.Segments.Select(s => s.Text));
        Assert.Equal([0, 1], transcript.Segments.Select(s => s.Id));
    }

    [Fact]
    public void Build_ShortPause_KeepsOneSegment()
    {
        var hypothesis = GreedyCtcDecoder.Decode(CtcTestData.Peaky("_a_|" + new string('_', 10) + "|b_"), V);

        Assert.Single(TranscriptBuilder.Build(hypothesis, CtcTestData.Reference).Segments);
    }

    [Fact]
    public void Build_MaxSegmentDuration_SplitsLongSpeech()
    {
        var path = string.Concat(Enumerable.Repeat("a_|", 40));
        var hypothesis = GreedyCtcDecoder.Decode(CtcTestData.Peaky(path), V);

        var transcript = TranscriptBuilder.Build(hypothesis, CtcTestData.Reference, new TimestampOptions { MaxSegmentDuration = 1.0 });

        Assert.True(transcript.Segments.Count >= 4);
        Assert.All(transcript.Segments, s => Assert.True(s.End - s.Start <= 1.0 + 1e-9));
        Assert.Equal(40, transcript.Segments.Sum(s => s.Words.Count));
    }

    [Fact]
    public void Build_FrameDurationAndAudioDuration_ScaleAndClampTimes()
    {
        var hypothesis = GreedyCtcDecoder.Decode(CtcTestData.Peaky("_ab"), V);

        var transcript = TranscriptBuilder.Build(hypothesis, CtcTestData.Reference, new TimestampOptions { FrameDuration = 0.1, AudioDuration = 0.25 });

        var word = Assert.Single(transcript.Words);
        Assert.Equal(0.1, word.Start, 9);
        Assert.Equal(0.25, word.End, 9);
    }

    [Fact]
    public void Build_FrameArithmetic_TimesRoundedToMilliseconds()
    {
        // 94 x 0.04 is 3.7600000000000002 in double arithmetic.
        var hypothesis = new CtcHypothesis([new AlignedToken(CtcTestData.IdOf('a'), 94, 97)], 0, 100);

        var word = Assert.Single(TranscriptBuilder.Build(hypothesis, CtcTestData.Reference).Words);

        Assert.Equal(3.76, word.Start);
        Assert.Equal(3.88, word.End);
    }

    [Fact]
    public void Build_SubwordTokensWithBoundaryPrefix_SplitWords()
    {
        var vocabulary = TokenVocabulary.FromTokens(["<blank>", "\u2581he", "llo", "\u2581wor", "ld"]);
        var hypothesis = new CtcHypothesis([new(1, 0, 1), new(2, 2, 3), new(3, 5, 6), new(4, 7, 9)], 0, 10);

        var transcript = TranscriptBuilder.Build(hypothesis, vocabulary);

        Assert.Equal("hello world", transcript.Text);
        Assert.Equal(["hello", "world"], transcript.Words.Select(w => w.Text));
        Assert.Equal(0.2, transcript.Words[1].Start, 9);
        Assert.Equal(0.36, transcript.Words[1].End, 9);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    public void Build_RandomPosteriors_TimesMonotonicAndInsideAudio(int beamWidth)
    {
        var random = new Random(21 + beamWidth);
        for (var trial = 0; trial < 40; trial++)
        {
            var frames = random.Next(1, 300);
            var logProbs = trial % 2 == 0 ? CtcTestData.RandomPeaky(random, frames, V) : CtcTestData.RandomFlat(random, frames, V);
            var hypothesis = new CtcPrefixBeamSearch(beamWidth).Decode(logProbs, V);
            var options = new TimestampOptions { SegmentPause = 0.2, MaxSegmentDuration = 2 };

            var transcript = TranscriptBuilder.Build(hypothesis, CtcTestData.Reference, options);

            var audio = frames * options.FrameDuration;
            var previous = 0.0;
            foreach (var word in transcript.Words)
            {
                Assert.True(word.Start >= previous - 1e-9, "word starts before the previous one ends");
                Assert.True(word.End >= word.Start);
                Assert.True(word.End <= audio + 1e-9, "word ends after the audio");
                previous = word.End;
            }

            Assert.Equal(transcript.Words.Count, transcript.Segments.Sum(s => s.Words.Count));
            Assert.Equal(transcript.Text, string.Join(' ', transcript.Segments.Select(s => s.Text)));
            for (var i = 1; i < transcript.Segments.Count; i++)
            {
                Assert.True(transcript.Segments[i].Start >= transcript.Segments[i - 1].End - 1e-9);
            }
        }
    }

    private static TimedWord Round(TimedWord word) => word with { Start = Math.Round(word.Start, 9), End = Math.Round(word.End, 9) };
}
