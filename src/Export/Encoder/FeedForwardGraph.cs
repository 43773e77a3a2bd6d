using SpeechServe.Export.Onnx;

namespace SpeechServe.Export.Encoder;

/// <summary>
/// Half-step feed-forward module with its residual: <c>x + 0.5 * Linear2(SiLU(Linear1(LayerNorm(x))))</c>.
/// The 0.5 is folded into Linear2's weights and bias, which is exact (a power of two).
/// </summary>
internal static class FeedForwardGraph
{
    /// <summary>Adds the module at <paramref name="prefix"/> (e.g. <c>layers.0.ff1</c>).</summary>
    public static GraphValue Build(EncoderGraphContext c, GraphValue x, string prefix)
    {
        var g = c.Graph;
        int d = c.Architecture.DModel, ff = c.Architecture.FfDim;
        var hidden = g.Silu(c.Dense(c.LayerNorm(x, prefix + ".norm"), prefix + ".linear1", d, ff));
        return g.Add(x, c.Dense(hidden, prefix + ".linear2", ff, d, scale: 0.5f));
    }
}
