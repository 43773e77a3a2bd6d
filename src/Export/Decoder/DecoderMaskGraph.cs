using SpeechServe.Export.Encoder;
using SpeechServe.Export.Onnx;

namespace SpeechServe.Export.Decoder;

/// <summary>
/// The two attention masks of a decoder step, built once per call and shared by every layer: causal over
/// the <c>P + S</c> key positions (new token <c>s</c> at position <c>P + s</c> sees keys <c>0 .. P + s</c>),
/// and the encoder frames <c>t &lt; encoder_lengths[b]</c>.
/// </summary>
internal static class DecoderMaskGraph
{
    /// <summary>Visibility <c>[S, P+S]</c> of the self-attention keys for queries at <paramref name="positions"/> <c>[S]</c>.</summary>
    /// <param name="c">The graph context.</param>
    /// <param name="positions">The new tokens' absolute positions <c>P .. P+S-1</c>.</param>
    /// <param name="keyCount"><c>P + S</c>, an int64 scalar.</param>
    public static GraphValue Causal(DecoderGraphContext c, GraphValue positions, GraphValue keyCount)
    {
        var g = c.Graph;
        var keyPositions = g.Range(c.Int64Scalar("mask.zero", 0), keyCount, c.Int64Scalar("mask.one", 1));
        return g.LessOrEqual(keyPositions, g.Unsqueeze(positions, 1));
    }

    /// <summary>Visibility <c>[B, 1, 1, T]</c> of the encoder frames.</summary>
    /// <param name="c">The graph context.</param>
    /// <param name="frames">T, an int64 scalar.</param>
    /// <param name="lengths">Valid frames per element, <c>[B]</c> int64.</param>
    public static GraphValue EncoderFrames(DecoderGraphContext c, GraphValue frames, GraphValue lengths)
    {
        var g = c.Graph;
        var frameIndex = g.Range(c.Int64Scalar("mask.zero", 0), frames, c.Int64Scalar("mask.one", 1));
        return g.Unsqueeze(g.Less(frameIndex, g.Unsqueeze(lengths, 1)), 1, 2);
    }
}
