using SpeechServe.Runtime.Decoding;
using SpeechServe.Runtime.Streaming;
using SpeechServe.Runtime.Tests.Decoding;

namespace SpeechServe.Runtime.Tests.Streaming;

public sealed class SegmentTrackerTests
{
    private static readonly StreamingRecognitionOptions Rules = new()
    {
        PauseAfterSpeech = new EndpointRule(true, 0.2, 0),
        LongSilence = new EndpointRule(false, 0.4, 0),
        MaxSegmentLength = new EndpointRule(false, 0, 1.0),
    };

    [Fact]
    public void AfterChunk_PauseAfterSpeech_SendsFinalAndStartsNextSegment()
    {
        var results = Run(Rules, "_hi_", "____", "_yo_", "____");

        Assert.Equal(
            [
                new StreamingResult(StreamingResultKind.Partial, "hi", 0, 0, 0.16),
                new StreamingResult(StreamingResultKind.Final, "hi", 0, 0, 0.32),
                new StreamingResult(StreamingResultKind.Partial, "yo", 1, 0.32, 0.48),
                new StreamingResult(StreamingResultKind.Final, "yo", 1, 0.32, 0.64),
            ],
            results.Select(Rounded));
        Assert.Equal(["hi", "hi", "yo", "yo"], results.Select(r => string.Concat(r.Tokens.Select(t => CtcTestData.Reference[t.Id]))));
    }

    [Fact]
    public void AfterChunk_WithLanguageModel_FinalsAreTheSearchOverTheSegmentAndPartialsStayGreedy()
    {
        var decoder = new StreamingGreedyCtcDecoder(CtcTestData.Reference.Count);
        var search = new LexiconBeamSearch(TinyLanguageModel.WithLexicon(), beamWidth: 8);
        var finals = new SegmentFinalDecoder(search, CtcTestData.Reference, maxFrames: 100);
        var tracker = new SegmentTracker(decoder, CtcTestData.Reference, Rules, finals);
        var results = new List<StreamingResult>();

        // "the cet" greedily; the lexicon search over the segment gives "the cat". Then a second segment.
        foreach (var chunk in new[] { "_the|cet", "________", "_sat____", "________" })
        {
            var logProbs = CtcTestData.Peaky(chunk);
            decoder.Accept(logProbs);
            finals.Accept(logProbs);
            tracker.AfterChunk(results);
        }

        Assert.Equal(["the cet", "the cat", "sat", "sat"], results.Select(r => r.Text));
        Assert.Equal(
            [StreamingResultKind.Partial, StreamingResultKind.Final, StreamingResultKind.Partial, StreamingResultKind.Final],
            results.Select(r => r.Kind));
    }

    [Fact]
    public void AfterChunk_SilenceOnly_SendsNothing()
    {
        Assert.Empty(Run(Rules, "________", "________", "________"));
    }

    [Fact]
    public void AfterChunk_MaxSegmentLength_SplitsWithoutLosingTokens()
    {
        var decoder = new StreamingGreedyCtcDecoder(CtcTestData.Reference.Count);
        var tracker = new SegmentTracker(decoder, CtcTestData.Reference, Rules);
        var results = new List<StreamingResult>();
        foreach (var chunk in new[] { "aaaabbbb", "ccccdddd", "eeeeffff", "gggghhhh", "iiiijjjj" })
        {
            decoder.Accept(CtcTestData.Peaky(chunk));
            tracker.AfterChunk(results);
        }

        tracker.Finish(results, 1.6);

        var finals = results.Where(r => r.Kind == StreamingResultKind.Final).ToList();
        Assert.Equal("abcdefghij", string.Concat(finals.Select(f => f.Text)));
        Assert.True(finals.Count >= 2);
        Assert.Equal(Enumerable.Range(0, finals.Count), finals.Select(f => f.Segment));
    }

    [Fact]
    public void AfterChunk_EndpointingOff_OnlyPartials()
    {
        var results = Run(Rules with { EndpointingEnabled = false }, "_hi_____", "________", "__yo____");

        Assert.All(results, r => Assert.Equal(StreamingResultKind.Partial, r.Kind));
        Assert.Equal("hiyo", results[^1].Text);
    }

    [Fact]
    public void Finish_NoFinalYet_SendsEmptyFinal()
    {
        var decoder = new StreamingGreedyCtcDecoder(CtcTestData.Reference.Count);
        var tracker = new SegmentTracker(decoder, CtcTestData.Reference, Rules);
        var results = new List<StreamingResult>();

        tracker.Finish(results, 0.5);

        Assert.Equal([new StreamingResult(StreamingResultKind.Final, string.Empty, 0, 0, 0.5)], results.Select(Rounded));
    }

    // Tokens are left out: the record compares them by reference.
    private static StreamingResult Rounded(StreamingResult r) => r with { Start = Math.Round(r.Start, 6), End = Math.Round(r.End, 6), Tokens = [] };

    private static List<StreamingResult> Run(StreamingRecognitionOptions options, params string[] chunks)
    {
        var decoder = new StreamingGreedyCtcDecoder(CtcTestData.Reference.Count);
        var tracker = new SegmentTracker(decoder, CtcTestData.Reference, options);
        var results = new List<StreamingResult>();
        foreach (var chunk in chunks)
        {
            decoder.Accept(CtcTestData.Peaky(chunk));
            tracker.AfterChunk(results);
        }

        return results;
    }
}
