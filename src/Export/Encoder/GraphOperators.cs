using SpeechServe.Export.Onnx;

namespace SpeechServe.Export.Encoder;

/// <summary>
/// Operators the encoder and decoder graphs need beyond <see cref="OnnxGraphBuilder"/>'s own helpers, as thin
/// wrappers over its generic <c>Node</c>. Inputs that operator set 13 turned into tensors (axes,
/// split sizes) are passed as values.
/// </summary>
internal static class GraphOperators
{
    public static GraphValue Div(this OnnxGraphBuilder g, GraphValue a, GraphValue b) => g.Node("Div", [a, b]);

    public static GraphValue Neg(this OnnxGraphBuilder g, GraphValue x) => g.Node("Neg", [x]);

    public static GraphValue Min(this OnnxGraphBuilder g, GraphValue a, GraphValue b) => g.Node("Min", [a, b]);

    public static GraphValue Sigmoid(this OnnxGraphBuilder g, GraphValue x) => g.Node("Sigmoid", [x]);

    /// <summary>SiLU (swish): <c>x * sigmoid(x)</c>.</summary>
    public static GraphValue Silu(this OnnxGraphBuilder g, GraphValue x) => g.Mul(x, g.Sigmoid(x));

    public static GraphValue LogSoftmax(this OnnxGraphBuilder g, GraphValue x, long axis = -1) =>
        g.Node("LogSoftmax", [x], OnnxAttributes.Int("axis", axis));

    public static GraphValue Less(this OnnxGraphBuilder g, GraphValue a, GraphValue b) => g.Node("Less", [a, b]);

    public static GraphValue LessOrEqual(this OnnxGraphBuilder g, GraphValue a, GraphValue b) => g.Node("LessOrEqual", [a, b]);

    public static GraphValue GreaterOrEqual(this OnnxGraphBuilder g, GraphValue a, GraphValue b) =>
        g.Node("GreaterOrEqual", [a, b]);

    public static GraphValue And(this OnnxGraphBuilder g, GraphValue a, GraphValue b) => g.Node("And", [a, b]);

    public static GraphValue Or(this OnnxGraphBuilder g, GraphValue a, GraphValue b) => g.Node("Or", [a, b]);

    /// <summary><c>Where</c>: <paramref name="whenTrue"/> where the condition holds, else <paramref name="whenFalse"/>.</summary>
    public static GraphValue Where(this OnnxGraphBuilder g, GraphValue condition, GraphValue whenTrue, GraphValue whenFalse) =>
        g.Node("Where", [condition, whenTrue, whenFalse]);

    public static GraphValue Concat(this OnnxGraphBuilder g, long axis, params ReadOnlySpan<GraphValue> inputs) =>
        g.Node("Concat", inputs, OnnxAttributes.Int("axis", axis));

    /// <summary><c>Slice</c> with 1-D int64 starts, ends and axes.</summary>
    public static GraphValue Slice(this OnnxGraphBuilder g, GraphValue x, GraphValue starts, GraphValue ends, GraphValue axes) =>
        g.Node("Slice", [x, starts, ends, axes]);

    /// <summary><c>Split</c> into parts of the given sizes along <paramref name="axis"/>.</summary>
    public static IReadOnlyList<GraphValue> Split(this OnnxGraphBuilder g, GraphValue x, long axis, params long[] sizes) =>
        g.Node("Split", [x, g.Int64Constant(sizes)], [OnnxAttributes.Int("axis", axis)], sizes.Length);

    public static GraphValue Unsqueeze(this OnnxGraphBuilder g, GraphValue x, params long[] axes) =>
        g.Node("Unsqueeze", [x, g.Int64Constant(axes)]);

    /// <summary><c>Shape</c> of the axes from <paramref name="start"/> up to, not including, <paramref name="end"/>.</summary>
    public static GraphValue Shape(this OnnxGraphBuilder g, GraphValue x, long start, long end) =>
        g.Node("Shape", [x], OnnxAttributes.Int("start", start), OnnxAttributes.Int("end", end));

    /// <summary><c>Range</c> over scalar start, limit and delta.</summary>
    public static GraphValue Range(this OnnxGraphBuilder g, GraphValue start, GraphValue limit, GraphValue delta) =>
        g.Node("Range", [start, limit, delta]);

    public static GraphValue Cast(this OnnxGraphBuilder g, GraphValue x, ElementType to) =>
        g.Node("Cast", [x], OnnxAttributes.Int("to", (long)to));
}
