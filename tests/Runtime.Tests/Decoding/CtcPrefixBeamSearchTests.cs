using SpeechServe.Runtime.Decoding;

namespace SpeechServe.Runtime.Tests.Decoding;

public class CtcPrefixBeamSearchTests
{
    private static readonly int V = CtcTestData.Reference.Count;

    [Fact]
    public void Decode_MassSpreadOverPaths_BeatsGreedy()
    {
        // Two frames, blank 0.6 and 'a' 0.4 on each: the best path is blank-blank (0.36, empty text),
        // but "a" has three paths (a a, a _, _ a) worth 0.16 + 0.24 + 0.24 = 0.64.
        var logProbs = CtcTestData.FromProbabilities([0.6, 0.4], [0.6, 0.4]);

        var greedy = GreedyCtcDecoder.Decode(logProbs, 2);
        var beam = new CtcPrefixBeamSearch(beamWidth: 2).Decode(logProbs, 2);

        Assert.Empty(greedy.Tokens);
        Assert.Equal([1], beam.TokenIds);
        Assert.Equal(Math.Log(0.64), beam.LogProbability, 5);
        Assert.Equal(Math.Log(0.36), greedy.LogProbability, 5);
    }

    [Fact]
    public void Decode_HelloWithDoubleL_FindsWordAndFrames()
    {
        var logProbs = CtcTestData.Peaky("_hh_e_ll_l_oo__");

        var beam = new CtcPrefixBeamSearch(beamWidth: 4).Decode(logProbs, V);

        Assert.Equal("hello", CtcTestData.Reference.Detokenize(beam.TokenIds));
        Assert.Equal(GreedyCtcDecoder.Decode(logProbs, V).Tokens, beam.Tokens);
    }

    [Fact]
    public void Decode_SmallProblems_MatchesExhaustiveLabellingProbabilities()
    {
        var random = new Random(7);
        for (var trial = 0; trial < 50; trial++)
        {
            const int v = 3;
            var frames = random.Next(1, 7);
            var logProbs = CtcTestData.RandomFlat(random, frames, v, scale: 1);

            var exact = ExhaustiveLabellings(logProbs, frames, v);
            var best = exact.MaxBy(pair => pair.Value);
            var beam = new CtcPrefixBeamSearch(beamWidth: 1_000, tokenPruneLogProb: double.PositiveInfinity).Decode(logProbs, v);

            Assert.Equal(best.Key, string.Join(",", beam.TokenIds));
            Assert.Equal(best.Value, beam.LogProbability, 6);
        }
    }

    [Fact]
    public void Decode_BeamWidthOneOnRandomPeakyPosteriors_EqualsGreedy()
    {
        var random = new Random(11);
        for (var trial = 0; trial < 200; trial++)
        {
            var logProbs = CtcTestData.RandomPeaky(random, random.Next(1, 120), V);

            var greedy = GreedyCtcDecoder.Decode(logProbs, V);
            var beam = new CtcPrefixBeamSearch(beamWidth: 1).Decode(logProbs, V);

            Assert.Equal(greedy.Tokens, beam.Tokens);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(16)]
    public void Decode_RandomFlatPosteriors_TokenFramesAreOrderedAndInside(int beamWidth)
    {
        var random = new Random(13 + beamWidth);
        for (var trial = 0; trial < 30; trial++)
        {
            var frames = random.Next(1, 80);
            var beam = new CtcPrefixBeamSearch(beamWidth).Decode(CtcTestData.RandomFlat(random, frames, V), V);

            var previousEnd = 0;
            foreach (var token in beam.Tokens)
            {
                Assert.InRange(token.Id, 1, V - 1);
                Assert.True(token.StartFrame >= previousEnd, "tokens overlap");
                Assert.True(token.EndFrame > token.StartFrame, "empty token run");
                previousEnd = token.EndFrame;
            }

            Assert.True(previousEnd <= frames);
        }
    }

    [Fact]
    public void Decode_LongUtterance_Completes()
    {
        var random = new Random(17);
        var logProbs = CtcTestData.RandomPeaky(random, 5_000, V);

        var beam = new CtcPrefixBeamSearch(beamWidth: 8).Decode(logProbs, V);

        Assert.Equal(5_000, beam.FrameCount);
        Assert.NotEmpty(beam.Tokens);
    }

    [Fact]
    public void Constructor_ZeroBeam_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CtcPrefixBeamSearch(beamWidth: 0));
    }

    /// <summary>Sums the probability of every path (V^T of them) into its labelling.</summary>
    private static Dictionary<string, double> ExhaustiveLabellings(float[] logProbs, int frames, int v)
    {
        var totals = new Dictionary<string, double>();
        var path = new int[frames];
        var count = (int)Math.Pow(v, frames);
        for (var index = 0; index < count; index++)
        {
            var rest = index;
            double logProbability = 0;
            for (var t = 0; t < frames; t++)
            {
                path[t] = rest % v;
                rest /= v;
                logProbability += logProbs[(t * v) + path[t]];
            }

            var labels = new List<int>();
            for (var t = 0; t < frames; t++)
            {
                if (path[t] != 0 && (t == 0 || path[t] != path[t - 1]))
                {
                    labels.Add(path[t]);
                }
            }

            var key = string.Join(",", labels);
            totals[key] = totals.TryGetValue(key, out var sum) ? Math.Log(Math.Exp(sum) + Math.Exp(logProbability)) : logProbability;
        }

        return totals;
    }
}
