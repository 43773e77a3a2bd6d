using SpeechServe.Runtime.Decoding;

namespace SpeechServe.Runtime.Tests.Decoding;

public class StreamingGreedyCtcDecoderTests
{
    private static readonly int V = CtcTestData.Reference.Count;

    [Fact]
    public void Accept_RandomChunks_EqualsWholeUtteranceAfterEveryChunk()
    {
        var random = new Random(5);
        for (var trial = 0; trial < 40; trial++)
        {
            var frames = random.Next(0, 150);
            var logProbs = trial % 2 == 0 ? CtcTestData.RandomPeaky(random, frames, V) : CtcTestData.RandomFlat(random, frames, V);
            var streaming = new StreamingGreedyCtcDecoder(V);

            var position = 0;
            while (position < frames)
            {
                var size = Math.Min(random.Next(0, 12), frames - position);
                streaming.Accept(logProbs.AsSpan(position * V, size * V));
                position += size;

                var expected = GreedyCtcDecoder.Decode(logProbs.AsSpan(0, position * V), V);
                Assert.Equal(expected.Tokens, streaming.Result.Tokens);
                Assert.Equal(expected.LogProbability, streaming.Result.LogProbability);
                Assert.Equal(position, streaming.FrameCount);
            }
        }
    }

    [Fact]
    public void StableTokens_RunStillOpen_ExcludesLastToken()
    {
        var streaming = new StreamingGreedyCtcDecoder(V);

        streaming.Accept(CtcTestData.Peaky("_hh_ee"));

        Assert.Single(streaming.StableTokens);
        Assert.Equal(2, streaming.Result.Tokens.Count);
        Assert.Equal(6, streaming.Result.Tokens[1].EndFrame);
    }
}
