using SpeechServe.Export.Onnx;

namespace SpeechServe.Export.Encoder;

/// <summary>What one Conformer block reads besides its input: the call-wide mask and shapes, and its caches.</summary>
/// <param name="Visible">The chunk mask <c>[B, 1, Tq, L + Tq]</c>.</param>
/// <param name="FramesVector">The call's encoder frames as a 1-D int64 tensor of one element.</param>
/// <param name="AttentionCache">This layer's attention cache <c>[B, L, d]</c>.</param>
/// <param name="ConvolutionCache">This layer's convolution cache <c>[B, d, k-1]</c>.</param>
internal sealed record BlockInputs(GraphValue Visible, GraphValue FramesVector, GraphValue AttentionCache, GraphValue ConvolutionCache);

/// <summary>
/// One Conformer block and its adapter (docs/model.md, step 3): FF1, attention, convolution, FF2,
/// final LayerNorm, then the per-element adapter.
/// </summary>
internal static class ConformerBlockGraph
{
    /// <summary>Adds layer <paramref name="layer"/>; returns its output and new caches.</summary>
    public static (GraphValue Output, GraphValue AttentionCache, GraphValue ConvolutionCache) Build(
        EncoderGraphContext c, GraphValue x, int layer, BlockInputs inputs, AdapterInputs adapter)
    {
        var p = $"layers.{layer}";
        x = FeedForwardGraph.Build(c, x, p + ".ff1");
        (x, var attentionCache) = AttentionGraph.Build(c, x, layer, inputs.AttentionCache, inputs.Visible, inputs.FramesVector);
        (x, var convolutionCache) = ConvolutionGraph.Build(c, x, layer, inputs.ConvolutionCache, inputs.FramesVector);
        x = FeedForwardGraph.Build(c, x, p + ".ff2");
        x = c.LayerNorm(x, p + ".final_norm");
        return (AdapterGraph.Build(c, x, layer, adapter), attentionCache, convolutionCache);
    }
}
