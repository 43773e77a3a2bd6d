using SpeechServe.Export.Onnx;

namespace SpeechServe.Export.Encoder;

/// <summary>
/// Frontend normalisation and the subsampling by 4 (docs/model.md, steps 1 and 2). Each
/// <c>Conv1d(kernel 2, stride 2)</c> is a MatMul over pairs of frames: reshaping <c>[B, T, c]</c> to
/// <c>[B, T/2, 2c]</c> lays each pair out time-major, which is how
/// <see cref="CheckpointWeights.StridedConv"/> arranges the kernel.
/// </summary>
internal static class SubsamplingGraph
{
    public static GraphValue Build(EncoderGraphContext c, GraphValue features)
    {
        var g = c.Graph;
        var a = c.Architecture;
        var mean = c.Weight("frontend_norm.mean", [a.NMels]);
        var std = c.Weight("frontend_norm.std", [a.NMels]);
        var x = g.Div(g.Sub(features, mean), std);

        x = g.Reshape(x, c.Int64Vector("subsample.pairs1_shape", 0, -1, 2L * a.NMels));
        x = g.Relu(c.Linear.Apply(g, x, c.Weights.StridedConv("subsample.conv1", a.NMels, a.DModel, 2)));
        x = g.Reshape(x, c.Int64Vector("subsample.pairs2_shape", 0, -1, 2L * a.DModel));
        return g.Relu(c.Linear.Apply(g, x, c.Weights.StridedConv("subsample.conv2", a.DModel, a.DModel, 2)));
    }
}
