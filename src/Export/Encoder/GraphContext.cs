using SpeechServe.Export.Onnx;

namespace SpeechServe.Export.Encoder;

/// <summary>What the sub-modules of a graph built from a checkpoint build with: the graph, the weights and shared constants.</summary>
internal class GraphContext
{
    private readonly Dictionary<string, GraphValue> _constants = new(StringComparer.Ordinal);

    public GraphContext(OnnxGraphBuilder graph, CheckpointWeights weights, LinearEmitter linear)
    {
        Graph = graph;
        Weights = weights;
        Linear = linear;
    }

    public OnnxGraphBuilder Graph { get; }

    public CheckpointWeights Weights { get; }

    public LinearEmitter Linear { get; }

    /// <summary>A float32 scalar constant, added once per distinct name.</summary>
    public GraphValue FloatScalar(string name, float value) =>
        Cached(name, () => Graph.Initializer(name, [value], []));

    /// <summary>An int64 scalar constant, added once per distinct name.</summary>
    public GraphValue Int64Scalar(string name, long value) =>
        Cached(name, () => Graph.Initializer(name, [value], []));

    /// <summary>A 1-D int64 constant, added once per distinct name.</summary>
    public GraphValue Int64Vector(string name, params long[] values) =>
        Cached(name, () => Graph.Initializer(name, values, [values.Length]));

    /// <summary>A float32 initializer from the checkpoint, under its own name.</summary>
    public GraphValue Weight(string name, long[] dims) =>
        Cached(name, () => Graph.Initializer(name, Weights.Get(name), dims));

    /// <summary>LayerNorm (epsilon 1e-5) over the last axis with the checkpoint's <c>prefix.weight</c> and <c>prefix.bias</c>.</summary>
    public GraphValue LayerNorm(GraphValue x, string prefix)
    {
        long width = Weights.Get(prefix + ".weight").Length;
        return Graph.LayerNormalization(x, Weight(prefix + ".weight", [width]), Weight(prefix + ".bias", [width]), axis: -1, epsilon: 1e-5f);
    }

    /// <summary>The Linear layer <paramref name="prefix"/> applied through <see cref="Linear"/>.</summary>
    public GraphValue Dense(GraphValue x, string prefix, int inputs, int outputs, float scale = 1f)
    {
        var layer = Weights.Linear(prefix, inputs, outputs);
        return Linear.Apply(Graph, x, scale == 1f ? layer : layer.Scaled(scale));
    }

    private GraphValue Cached(string name, Func<GraphValue> create)
    {
        if (!_constants.TryGetValue(name, out var value))
        {
            value = create();
            _constants.Add(name, value);
        }

        return value;
    }
}
