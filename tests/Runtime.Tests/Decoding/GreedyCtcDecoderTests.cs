using SpeechServe.Runtime.Decoding;

namespace SpeechServe.Runtime.Tests.Decoding;

public class GreedyCtcDecoderTests
{
    private static readonly int V = CtcTestData.Reference.Count;

    [Fact]
    public void Decode_HelloWithBlankBetweenDoubleL_KeepsBothLs()
    {
        var logProbs = CtcTestData.Peaky("_hh_e_ll_l_oo__");

        var result = GreedyCtcDecoder.Decode(logProbs, V);

        Assert.Equal("hello", CtcTestData.Reference.Detokenize(result.TokenIds));
        Assert.Equal(
            [new(Id('h'), 1, 3), new(Id('e'), 4, 5), new(Id('l'), 6, 8), new(Id('l'), 9, 10), new(Id('o'), 11, 13)],
            result.Tokens);
        Assert.Equal(15, result.FrameCount);
    }

    [Fact]
    public void Decode_RepeatWithoutBlank_Collapses()
    {
        var result = GreedyCtcDecoder.Decode(CtcTestData.Peaky("hellllo"), V);

        Assert.Equal("helo", CtcTestData.Reference.Detokenize(result.TokenIds));
    }

    [Fact]
    public void Decode_AllBlankOrEmpty_GivesNoTokens()
    {
        Assert.Empty(GreedyCtcDecoder.Decode(CtcTestData.Peaky("_____"), V).Tokens);
        Assert.Empty(GreedyCtcDecoder.Decode([], V).Tokens);
    }

    [Fact]
    public void Decode_Score_IsSumOfFrameMaxima()
    {
        var result = GreedyCtcDecoder.Decode(CtcTestData.Peaky("_ab", dominant: 0.5), V);

        Assert.Equal(3 * Math.Log(0.5), result.LogProbability, 5);
    }

    [Fact]
    public void Decode_PartialFrame_Throws()
    {
        Assert.Throws<ArgumentException>(() => GreedyCtcDecoder.Decode(new float[V + 1], V));
    }

    private static int Id(char c) => CtcTestData.IdOf(c);
}
