using Google.Protobuf;
using SpeechServe.Export.Onnx;
using SpeechServe.Export.Onnx.Proto;

namespace SpeechServe.Export.Encoder;

/// <summary>
/// Dynamic int8 quantisation of a Linear layer with standard operators ONNX Runtime runs on CPU:
/// activations are quantised per call (<c>DynamicQuantizeLinear</c>: uint8, per tensor, asymmetric),
/// weights ahead of time (int8, per output channel, symmetric: zero point 0, scale
/// <c>max|W[:, n]| / 127</c>); <c>MatMulInteger</c> accumulates in int32, which is cast to float and
/// multiplied by <c>x_scale * w_scale[n]</c>. ONNX Runtime fuses the chain into one
/// <c>DynamicQuantizeMatMul</c> kernel when graph optimisation is on.
/// </summary>
public sealed class Int8LinearEmitter : LinearEmitter
{
    /// <inheritdoc/>
    public override string Precision => "int8-dynamic";

    /// <inheritdoc/>
    public override GraphValue Apply(OnnxGraphBuilder g, GraphValue x, LinearWeights layer)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(layer);
        var (quantized, scales) = Quantize(layer);
        var weight = g.Initializer(Int8Tensor(layer.Name + ".weight_q", quantized, [layer.Inputs, layer.Outputs]));
        var weightScale = g.Initializer(layer.Name + ".weight_scale", scales, [layer.Outputs]);

        var q = g.Node("DynamicQuantizeLinear", [x], [], 3);
        var accumulated = g.Node("MatMulInteger", [q[0], weight, q[2]]);
        var scale = g.Mul(q[1], weightScale);
        return g.Add(g.Mul(g.Cast(accumulated, ElementType.Float), scale), Bias(g, layer));
    }

    /// <summary>Symmetric per-output-channel int8 weights and their scales.</summary>
    /// <param name="layer">The float weights, <c>[Inputs, Outputs]</c>.</param>
    public static (sbyte[] Weights, float[] Scales) Quantize(LinearWeights layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        int rows = layer.Inputs, columns = layer.Outputs;
        var scales = new float[columns];
        for (var n = 0; n < columns; n++)
        {
            var max = 0f;
            for (var k = 0; k < rows; k++)
            {
                max = MathF.Max(max, MathF.Abs(layer.WeightT[(k * columns) + n]));
            }

            scales[n] = max > 0 ? max / 127f : 1f;
        }

        var weights = new sbyte[layer.WeightT.Length];
        for (var i = 0; i < weights.Length; i++)
        {
            var value = MathF.Round(layer.WeightT[i] / scales[i % columns], MidpointRounding.ToEven);
            weights[i] = (sbyte)Math.Clamp(value, -127f, 127f);
        }

        return (weights, scales);
    }

    private static TensorProto Int8Tensor(string name, sbyte[] values, long[] dims)
    {
        var bytes = new byte[values.Length];
        Buffer.BlockCopy(values, 0, bytes, 0, values.Length);
        var tensor = new TensorProto { Name = name, DataType = (int)ElementType.Int8, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }
}
