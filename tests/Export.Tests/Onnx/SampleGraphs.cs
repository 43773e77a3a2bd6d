using SpeechServe.Export.Onnx;
using static SpeechServe.Export.Tests.Onnx.ReferenceKernels;

namespace SpeechServe.Export.Tests.Onnx;

/// <summary>
/// Small graphs covering the operators an encoder export needs, each with a symbolic batch
/// dimension, concrete inputs and expected outputs. Shared by the format tests here and by numeric
/// tests that run the models through ONNX Runtime.
/// </summary>
public static class SampleGraphs
{
    /// <summary>The names <see cref="ByName"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["matmul_add_relu", "gather_softmax", "layer_norm", "conv1d", "constants", "large_weights"];

    /// <summary>The sample called <paramref name="name"/>.</summary>
    public static SampleGraph ByName(string name) => name switch
    {
        "matmul_add_relu" => MatMulAddRelu(),
        "gather_softmax" => GatherSoftmax(),
        "layer_norm" => LayerNorm(),
        "conv1d" => Conv1d(),
        "constants" => Constants(),
        "large_weights" => LargeWeights(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such sample graph."),
    };

    /// <summary>y = Relu(x W + b): x [batch, 4], W [4, 3], b [3].</summary>
    public static SampleGraph MatMulAddRelu()
    {
        float[] w = Pattern(12, 0.25f, 1), b = Pattern(3, 0.5f, 2), x = Pattern(8, 0.5f, 3);
        var g = NewBuilder("matmul_add_relu");
        var input = g.Input("x", ElementType.Float, ["batch", 4]);
        var y = g.Relu(g.Add(g.MatMul(input, g.Initializer("w", w, [4, 3])), g.Initializer("b", b, [3])));
        g.Output(y, ElementType.Float, ["batch", 3], "y");
        return new SampleGraph(
            "matmul_add_relu",
            g.Build(),
            [SampleTensor.OfFloats("x", [2, 4], x)],
            [SampleTensor.OfFloats("y", [2, 3], Relu(AddRow(MatMul(x, w, 2, 4, 3), b)))]);
    }

    /// <summary>Embedding lookup then softmax: ids int64 [batch, seq], table [5, 4] -> [batch, seq, 4].</summary>
    public static SampleGraph GatherSoftmax()
    {
        var table = Pattern(20, 0.3f, 4);
        long[] ids = [0, 4, 2, 1, 1, 3];
        var g = NewBuilder("gather_softmax");
        var input = g.Input("ids", ElementType.Int64, ["batch", "seq"]);
        var embedded = g.Gather(g.Initializer("embedding", table, [5, 4]), input, axis: 0);
        g.Output(g.Softmax(embedded, axis: -1), ElementType.Float, ["batch", "seq", 4], "probs");
        return new SampleGraph(
            "gather_softmax",
            g.Build(),
            [SampleTensor.OfInt64s("ids", [2, 3], ids)],
            [SampleTensor.OfFloats("probs", [2, 3, 4], SoftmaxLastAxis(GatherRows(table, 4, ids), 4))]);
    }

    /// <summary>LayerNormalization (operator set 17) over the last axis of x [batch, time, 4].</summary>
    public static SampleGraph LayerNorm()
    {
        float[] scale = [1f, 0.5f, 2f, -1f], bias = [0f, 0.1f, -0.2f, 0.3f], x = Pattern(24, 0.7f, 5);
        var g = NewBuilder("layer_norm");
        var input = g.Input("x", ElementType.Float, ["batch", "time", 4]);
        var y = g.LayerNormalization(input, g.Initializer("ln.weight", scale, [4]), g.Initializer("ln.bias", bias, [4]), axis: -1, epsilon: 1e-5f);
        g.Output(y, ElementType.Float, ["batch", "time", 4], "y");
        return new SampleGraph(
            "layer_norm",
            g.Build(),
            [SampleTensor.OfFloats("x", [2, 3, 4], x)],
            [SampleTensor.OfFloats("y", [2, 3, 4], LayerNormLastAxis(x, scale, bias, 1e-5))],
            Tolerance: 1e-4f);
    }

    /// <summary>1-D convolution, kernel 3, padding 1: x [batch, 2, time] -> [batch, 3, time].</summary>
    public static SampleGraph Conv1d()
    {
        float[] w = Pattern(18, 0.2f, 6), b = [0.1f, -0.1f, 0.2f], x = Pattern(20, 0.5f, 7);
        var g = NewBuilder("conv1d");
        var input = g.Input("x", ElementType.Float, ["batch", 2, "time"]);
        var options = new ConvOptions { KernelShape = [3], Strides = [1], Pads = [1, 1], Dilations = [1], AutoPad = "NOTSET" };
        var y = g.Conv(input, g.Initializer("conv.weight", w, [3, 2, 3]), g.Initializer("conv.bias", b, [3]), options);
        g.Output(y, ElementType.Float, ["batch", 3, "time"], "y");
        return new SampleGraph(
            "conv1d",
            g.Build(),
            [SampleTensor.OfFloats("x", [2, 2, 5], x)],
            [SampleTensor.OfFloats("y", [2, 3, 5], ReferenceKernels.Conv1d(x, w, b, batch: 2, cin: 2, time: 5, cout: 3, kernel: 3, pad: 1))]);
    }

    /// <summary>
    /// Float, floats and tensor attributes: y = (LeakyRelu(x, 0.1) + Constant([1, 2, 3])) * ConstantOfShape([3], 2).
    /// </summary>
    public static SampleGraph Constants()
    {
        var x = Pattern(6, 0.5f, 8);
        var g = NewBuilder("constants");
        var input = g.Input("x", ElementType.Float, ["batch", 3]);
        var leaky = g.Node("LeakyRelu", [input], OnnxAttributes.Float("alpha", 0.1f));
        var offsets = g.Node("Constant", [], OnnxAttributes.Floats("value_floats", 1f, 2f, 3f));
        var twos = g.Node("ConstantOfShape", [g.Int64Constant(3)], OnnxAttributes.Tensor("value", TensorProtos.FromFloats("value", [2f], [1])));
        g.Output(g.Mul(g.Add(leaky, offsets), twos), ElementType.Float, ["batch", 3], "y");
        var expected = AddRow(LeakyRelu(x, 0.1f), [1f, 2f, 3f]).Select(v => v * 2f).ToArray();
        return new SampleGraph(
            "constants",
            g.Build(),
            [SampleTensor.OfFloats("x", [2, 3], x)],
            [SampleTensor.OfFloats("y", [2, 3], expected)]);
    }

    /// <summary>
    /// Two weight matrices over the default 1 KiB external data threshold and one bias under it:
    /// y = Relu(x W1 + b1) W2, x [batch, 64], W1 [64, 32], W2 [32, 16].
    /// </summary>
    public static SampleGraph LargeWeights()
    {
        float[] w1 = Pattern(64 * 32, 0.02f, 9), b1 = Pattern(32, 0.1f, 10), w2 = Pattern(32 * 16, 0.05f, 11), x = Pattern(128, 0.1f, 12);
        var g = NewBuilder("large_weights");
        var input = g.Input("x", ElementType.Float, ["batch", 64]);
        var hidden = g.Relu(g.Add(g.MatMul(input, g.Initializer("w1", w1, [64, 32])), g.Initializer("b1", b1, [32])));
        g.Output(g.MatMul(hidden, g.Initializer("w2", w2, [32, 16])), ElementType.Float, ["batch", 16], "y");
        var expected = MatMul(Relu(AddRow(MatMul(x, w1, 2, 64, 32), b1)), w2, 2, 32, 16);
        return new SampleGraph(
            "large_weights",
            g.Build(),
            [SampleTensor.OfFloats("x", [2, 64], x)],
            [SampleTensor.OfFloats("y", [2, 16], expected)],
            Tolerance: 1e-4f);
    }

    /// <summary>Deterministic small values with both signs: ((7i + seed) mod 13 - 6) * scale.</summary>
    public static float[] Pattern(int count, float scale, int seed) =>
        Enumerable.Range(0, count).Select(i => ((((7 * i) + seed) % 13) - 6) * scale).ToArray();

    private static OnnxGraphBuilder NewBuilder(string name) => new(name)
    {
        ProducerVersion = "test",
        DocString = $"Sample graph '{name}'.",
    };
}
