using SpeechServe.Export.Onnx;

namespace SpeechServe.Export.Encoder;

/// <summary>
/// How the graph computes <c>x @ W + b</c> for a weight held as an initializer: the one place where
/// the float32 and the int8 encoder differ.
/// </summary>
public abstract class LinearEmitter
{
    /// <summary>The plain float32 form: <c>MatMul</c> then <c>Add</c>.</summary>
    public static LinearEmitter FullPrecision { get; } = new Float32LinearEmitter();

    /// <summary>Short name recorded in the model metadata, e.g. <c>float32</c>.</summary>
    public abstract string Precision { get; }

    /// <summary>Adds the nodes for <c>x @ layer.WeightT + layer.Bias</c> over the last axis of <paramref name="x"/>.</summary>
    /// <param name="g">The graph.</param>
    /// <param name="x">Input, <c>[..., Inputs]</c>.</param>
    /// <param name="layer">The weights; their name prefixes the initializers.</param>
    /// <returns>The output, <c>[..., Outputs]</c>.</returns>
    public abstract GraphValue Apply(OnnxGraphBuilder g, GraphValue x, LinearWeights layer);

    /// <summary>The bias initializer, shared by both forms.</summary>
    protected static GraphValue Bias(OnnxGraphBuilder g, LinearWeights layer)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(layer);
        return g.Initializer(layer.Name + ".bias", layer.Bias, [layer.Outputs]);
    }

    private sealed class Float32LinearEmitter : LinearEmitter
    {
        public override string Precision => "float32";

        public override GraphValue Apply(OnnxGraphBuilder g, GraphValue x, LinearWeights layer)
        {
            var weight = g.Initializer(layer.Name + ".weight_t", layer.WeightT, [layer.Inputs, layer.Outputs]);
            return g.Add(g.MatMul(x, weight), Bias(g, layer));
        }
    }
}
