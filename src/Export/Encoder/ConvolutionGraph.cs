using SpeechServe.Export.Onnx;

namespace SpeechServe.Export.Encoder;

/// <summary>
/// The convolution module with its residual and cache update: LayerNorm, pointwise <c>d -&gt; 2d</c>,
/// GLU (<c>first_half * sigmoid(second_half)</c>), causal depthwise convolution whose <c>k - 1</c>
/// left frames come from <c>conv_cache</c>, LayerNorm over channels, SiLU, pointwise <c>d -&gt; d</c>.
/// The pointwise convolutions are MatMuls in time-major layout; only the depthwise convolution
/// runs channels-first.
/// </summary>
internal static class ConvolutionGraph
{
    /// <summary>Adds layer <paramref name="layer"/>'s convolution module.</summary>
    /// <param name="c">The graph context.</param>
    /// <param name="x">Input <c>[B, T, d]</c>.</param>
    /// <param name="layer">Layer index.</param>
    /// <param name="cache">This layer's convolution cache <c>[B, d, k-1]</c>.</param>
    /// <param name="framesVector">T as a 1-D int64 tensor of one element.</param>
    /// <returns>The residual output and the new cache (the last k-1 GLU frames).</returns>
    public static (GraphValue Output, GraphValue Cache) Build(
        EncoderGraphContext c, GraphValue x, int layer, GraphValue cache, GraphValue framesVector)
    {
        var g = c.Graph;
        int d = c.Architecture.DModel, kernel = c.Architecture.ConvKernel;
        var p = $"layers.{layer}.conv";

        var z = c.Dense(c.LayerNorm(x, p + ".norm"), p + ".pointwise1", d, 2 * d); // [B, T, 2d]
        var halves = g.Split(z, -1, d, d);
        var glu = g.Transpose(g.Mul(halves[0], g.Sigmoid(halves[1])), 0, 2, 1); // [B, d, T]

        var history = g.Concat(2, cache, glu); // [B, d, k-1+T]
        var newCache = g.Slice(history, framesVector, c.Int64Vector("conv.slice_end", long.MaxValue), c.Int64Vector("conv.time_axis", 2));
        var depthwise = g.Conv(
            history,
            c.Weight(p + ".depthwise.weight", [d, 1, kernel]),
            c.Weight(p + ".depthwise.bias", [d]),
            new ConvOptions { KernelShape = [kernel], Group = d });

        z = g.Silu(c.LayerNorm(g.Transpose(depthwise, 0, 2, 1), p + ".depth_norm")); // [B, T, d]
        return (g.Add(x, c.Dense(z, p + ".pointwise2", d, d)), newCache);
    }
}
