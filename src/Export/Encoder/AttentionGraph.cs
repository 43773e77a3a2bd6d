using SpeechServe.Export.Onnx;

namespace SpeechServe.Export.Encoder;

/// <summary>
/// Chunked multi-head self-attention with its residual and cache update. Queries come from
/// <c>y = LayerNorm_attn(x)</c>, keys and values from <c>concat(attn_cache, y)</c>; masked scores are
/// replaced by -1e9 (<c>Where</c>), not added to, so fully masked rows become uniform instead of NaN.
/// </summary>
internal static class AttentionGraph
{
    /// <summary>Score given to masked keys, as in the reference implementation.</summary>
    public const float MaskedScore = -1e9f;

    /// <summary>Adds layer <paramref name="layer"/>'s attention.</summary>
    /// <param name="c">The graph context.</param>
    /// <param name="x">Block input <c>[B, Tq, d]</c>.</param>
    /// <param name="layer">Layer index.</param>
    /// <param name="cache">This layer's attention cache <c>[B, L, d]</c>.</param>
    /// <param name="visible">The chunk mask <c>[B, 1, Tq, L + Tq]</c>.</param>
    /// <param name="framesVector">Tq as a 1-D int64 tensor of one element.</param>
    /// <returns>The residual output and the new cache (the last L frames of the keys).</returns>
    public static (GraphValue Output, GraphValue Cache) Build(
        EncoderGraphContext c, GraphValue x, int layer, GraphValue cache, GraphValue visible, GraphValue framesVector)
    {
        var g = c.Graph;
        var a = c.Architecture;
        int d = a.DModel, heads = a.NumHeads, headDim = d / heads;
        var p = $"layers.{layer}.attn";

        var y = c.LayerNorm(x, $"layers.{layer}.attn_norm");
        var keys = g.Concat(1, cache, y); // [B, L + Tq, d]
        var newCache = g.Slice(keys, framesVector, c.Int64Vector("attn.slice_end", long.MaxValue), c.Int64Vector("attn.time_axis", 1));

        var splitHeads = c.Int64Vector("attn.split_heads_shape", 0, 0, heads, headDim);
        var q = g.Transpose(g.Reshape(c.Dense(y, p + ".q", d, d), splitHeads), 0, 2, 1, 3); // [B, h, Tq, dh]
        var k = g.Transpose(g.Reshape(c.Dense(keys, p + ".k", d, d), splitHeads), 0, 2, 3, 1); // [B, h, dh, Tk]
        var v = g.Transpose(g.Reshape(c.Dense(keys, p + ".v", d, d), splitHeads), 0, 2, 1, 3); // [B, h, Tk, dh]

        var scores = g.Div(g.MatMul(q, k), c.FloatScalar("attn.sqrt_head_dim", MathF.Sqrt(headDim)));
        scores = g.Where(visible, scores, c.FloatScalar("attn.masked_score", MaskedScore));
        var context = g.MatMul(g.Softmax(scores, -1), v); // [B, h, Tq, dh]
        context = g.Reshape(g.Transpose(context, 0, 2, 1, 3), c.Int64Vector("attn.merge_heads_shape", 0, 0, d));
        return (g.Add(x, c.Dense(context, p + ".out", d, d)), newCache);
    }
}
