using SpeechServe.Export.Onnx;

namespace SpeechServe.Export.Encoder;

/// <summary>Per-element CTC head: <c>log_softmax(x @ Wh[b] + bh[b])</c>, weights from graph inputs.</summary>
internal static class CtcHeadGraph
{
    /// <summary>Adds the head to <paramref name="x"/> <c>[B, T, d]</c>; returns log-probabilities <c>[B, T, V]</c>.</summary>
    public static GraphValue Build(EncoderGraphContext c, GraphValue x, GraphValue headWeight, GraphValue headBias)
    {
        var g = c.Graph;
        var logits = g.Add(g.MatMul(x, headWeight), g.Unsqueeze(headBias, 1));
        return g.LogSoftmax(logits, -1);
    }
}
