using SpeechServe.Export.Onnx.Proto;

namespace SpeechServe.Export.Onnx;

// Thin wrappers over Node() for the operators an encoder graph uses most. Attribute defaults are
// left to the operator definitions: an attribute is written only when the caller gives it.
public sealed partial class OnnxGraphBuilder
{
    /// <summary><c>Identity</c>: the input, unchanged.</summary>
    /// <param name="x">Input.</param>
    public GraphValue Identity(GraphValue x) => Node("Identity", [x]);

    /// <summary><c>Add</c>: element-wise sum with broadcasting.</summary>
    /// <param name="a">First input.</param>
    /// <param name="b">Second input.</param>
    public GraphValue Add(GraphValue a, GraphValue b) => Node("Add", [a, b]);

    /// <summary><c>Sub</c>: element-wise difference with broadcasting.</summary>
    /// <param name="a">Minuend.</param>
    /// <param name="b">Subtrahend.</param>
    public GraphValue Sub(GraphValue a, GraphValue b) => Node("Sub", [a, b]);

    /// <summary><c>Mul</c>: element-wise product with broadcasting.</summary>
    /// <param name="a">First input.</param>
    /// <param name="b">Second input.</param>
    public GraphValue Mul(GraphValue a, GraphValue b) => Node("Mul", [a, b]);

    /// <summary><c>MatMul</c>: matrix product, batched over leading dimensions as numpy's matmul.</summary>
    /// <param name="a">Left operand, [..., M, K].</param>
    /// <param name="b">Right operand, [..., K, N].</param>
    public GraphValue MatMul(GraphValue a, GraphValue b) => Node("MatMul", [a, b]);

    /// <summary><c>Relu</c>: max(x, 0).</summary>
    /// <param name="x">Input.</param>
    public GraphValue Relu(GraphValue x) => Node("Relu", [x]);

    /// <summary><c>Gather</c>: picks slices of <paramref name="data"/> along <paramref name="axis"/>, e.g. embedding rows.</summary>
    /// <param name="data">The tensor to index.</param>
    /// <param name="indices">int32 or int64 indices.</param>
    /// <param name="axis">The axis indexed.</param>
    public GraphValue Gather(GraphValue data, GraphValue indices, long axis = 0) =>
        Node("Gather", [data, indices], OnnxAttributes.Int("axis", axis));

    /// <summary><c>Softmax</c> along one axis.</summary>
    /// <param name="x">Input.</param>
    /// <param name="axis">The normalised axis; negative counts from the end.</param>
    public GraphValue Softmax(GraphValue x, long axis = -1) =>
        Node("Softmax", [x], OnnxAttributes.Int("axis", axis));

    /// <summary><c>LayerNormalization</c> (operator set 17 and later) over the axes from <paramref name="axis"/> on.</summary>
    /// <param name="x">Input.</param>
    /// <param name="scale">Gain, shaped as the normalised axes.</param>
    /// <param name="bias">Offset, shaped as the normalised axes; <see cref="GraphValue.Absent"/> for none.</param>
    /// <param name="axis">First normalised axis; negative counts from the end.</param>
    /// <param name="epsilon">Added to the variance.</param>
    public GraphValue LayerNormalization(GraphValue x, GraphValue scale, GraphValue bias, long axis = -1, float epsilon = 1e-5f) =>
        Node(
            "LayerNormalization",
            bias.IsAbsent ? [x, scale] : [x, scale, bias],
            OnnxAttributes.Int("axis", axis),
            OnnxAttributes.Float("epsilon", epsilon));

    /// <summary><c>Conv</c>: N-dimensional convolution of [batch, channels, spatial...] input.</summary>
    /// <param name="x">Input, [N, C, D1, ...].</param>
    /// <param name="weight">Kernels, [M, C / group, k1, ...].</param>
    /// <param name="bias">Per-output-channel bias, [M]; <see cref="GraphValue.Absent"/> for none.</param>
    /// <param name="options">Strides, padding, dilations and groups; <see langword="null"/> for the operator's defaults.</param>
    public GraphValue Conv(GraphValue x, GraphValue weight, GraphValue bias, ConvOptions? options = null)
    {
        var attributes = new List<AttributeProto>();
        if (options is not null)
        {
            AddInts(attributes, "kernel_shape", options.KernelShape);
            AddInts(attributes, "strides", options.Strides);
            AddInts(attributes, "pads", options.Pads);
            AddInts(attributes, "dilations", options.Dilations);
            if (options.Group != 1)
            {
                attributes.Add(OnnxAttributes.Int("group", options.Group));
            }

            if (options.AutoPad is { } autoPad)
            {
                attributes.Add(OnnxAttributes.String("auto_pad", autoPad));
            }
        }

        return Node("Conv", bias.IsAbsent ? [x, weight] : [x, weight, bias], [.. attributes]);
    }

    /// <summary><c>Reshape</c> to a target shape given as a 1-D int64 value (see <see cref="Int64Constant"/>).</summary>
    /// <param name="x">Input.</param>
    /// <param name="shape">Target shape; 0 copies the input dimension, -1 is inferred.</param>
    public GraphValue Reshape(GraphValue x, GraphValue shape) => Node("Reshape", [x, shape]);

    /// <summary><c>Transpose</c>: permutes the axes.</summary>
    /// <param name="x">Input.</param>
    /// <param name="perm">Output axis i is input axis perm[i].</param>
    public GraphValue Transpose(GraphValue x, params long[] perm) =>
        Node("Transpose", [x], OnnxAttributes.Ints("perm", perm));

    private static void AddInts(List<AttributeProto> attributes, string name, IReadOnlyList<long>? values)
    {
        if (values is not null)
        {
            attributes.Add(OnnxAttributes.Ints(name, values));
        }
    }
}
