using SpeechServe.Export.Encoder;
using SpeechServe.Export.Onnx;

namespace SpeechServe.Export.Decoder;

/// <summary>
/// The decoder's multi-head attention (<c>DecoderAttention</c> in translation.py): projections with bias,
/// heads as contiguous slices of D, <c>softmax(q·kᵀ / sqrt(dh))·v</c> with masked scores replaced by -1e9.
/// Keys and values are made separately from the queries, so they can be cached.
/// </summary>
internal static class DecoderAttentionGraph
{
    /// <summary>The keys and values of <paramref name="x"/> <c>[B, T, D]</c> through <paramref name="prefix"/>'s k and v, each <c>[B, H, T, dh]</c>.</summary>
    public static (GraphValue Keys, GraphValue Values) KeysValues(DecoderGraphContext c, GraphValue x, string prefix)
    {
        var d = c.Architecture.DModel;
        return (SplitHeads(c, c.Dense(x, prefix + ".k", d, d)), SplitHeads(c, c.Dense(x, prefix + ".v", d, d)));
    }

    /// <summary>Attention of queries from <paramref name="x"/> <c>[B, S, D]</c> over keys and values <c>[B, H, T, dh]</c>.</summary>
    /// <param name="c">The graph context.</param>
    /// <param name="x">Query input.</param>
    /// <param name="prefix">The attention module, e.g. <c>layers.0.self_attn</c>.</param>
    /// <param name="keys">Keys.</param>
    /// <param name="values">Values.</param>
    /// <param name="visible">Bool visibility broadcastable to <c>[B, H, S, T]</c>.</param>
    /// <returns>The output projection, <c>[B, S, D]</c>.</returns>
    public static GraphValue Attend(DecoderGraphContext c, GraphValue x, string prefix, GraphValue keys, GraphValue values, GraphValue visible)
    {
        var g = c.Graph;
        var a = c.Architecture;
        var q = SplitHeads(c, c.Dense(x, prefix + ".q", a.DModel, a.DModel));
        var scores = g.Div(g.MatMul(q, g.Transpose(keys, 0, 1, 3, 2)), c.FloatScalar("attn.sqrt_head_dim", MathF.Sqrt(a.HeadDim)));
        scores = g.Where(visible, scores, c.FloatScalar("attn.masked_score", AttentionGraph.MaskedScore));
        var context = g.MatMul(g.Softmax(scores, -1), values); // [B, H, S, dh]
        context = g.Reshape(g.Transpose(context, 0, 2, 1, 3), c.Int64Vector("attn.merge_heads_shape", 0, 0, a.DModel));
        return c.Dense(context, prefix + ".out", a.DModel, a.DModel);
    }

    private static GraphValue SplitHeads(DecoderGraphContext c, GraphValue x)
    {
        var a = c.Architecture;
        var shape = c.Int64Vector("attn.split_heads_shape", 0, 0, a.NumHeads, a.HeadDim);
        return c.Graph.Transpose(c.Graph.Reshape(x, shape), 0, 2, 1, 3);
    }
}
