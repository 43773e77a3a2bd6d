using SpeechServe.Export.Onnx;

namespace SpeechServe.Export.Encoder;

/// <summary>The adapter graph inputs, <c>[B, N, ...]</c>: one domain per batch element.</summary>
internal sealed record AdapterInputs(GraphValue Down, GraphValue DownBias, GraphValue Up, GraphValue UpBias);

/// <summary>
/// Per-element residual bottleneck adapter after each block:
/// <c>x + ReLU(x @ Wd[b] + bd[b]) @ Wu[b] + bu[b]</c>. The weights are graph inputs (zero up-projection
/// for the base model), so one session serves every domain.
/// </summary>
internal static class AdapterGraph
{
    /// <summary>Adds layer <paramref name="layer"/>'s adapter to <paramref name="x"/> <c>[B, T, d]</c>.</summary>
    public static GraphValue Build(EncoderGraphContext c, GraphValue x, int layer, AdapterInputs inputs)
    {
        var g = c.Graph;
        var index = c.Int64Scalar($"adapter.layer_{layer}", layer);
        var down = g.Gather(inputs.Down, index, axis: 1); // [B, d, r]
        var downBias = g.Unsqueeze(g.Gather(inputs.DownBias, index, axis: 1), 1); // [B, 1, r]
        var up = g.Gather(inputs.Up, index, axis: 1); // [B, r, d]
        var upBias = g.Unsqueeze(g.Gather(inputs.UpBias, index, axis: 1), 1); // [B, 1, d]

        var hidden = g.Relu(g.Add(g.MatMul(x, down), downBias));
        return g.Add(x, g.Add(g.MatMul(hidden, up), upBias));
    }
}
