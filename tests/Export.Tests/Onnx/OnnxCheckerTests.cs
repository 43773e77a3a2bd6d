using System.Globalization;
using SpeechServe.Export.Onnx;
using SpeechServe.Export.Onnx.Proto;

namespace SpeechServe.Export.Tests.Onnx;

/// <summary>Every sample graph, written to disk, passes the reference ONNX checker and reads back the same.</summary>
public sealed class OnnxCheckerTests
{
    // Loads the model, runs the full checker (strict shape inference included) on the message and on
    // the path, and prints the signature as the reference implementation reads it.
    private const string CheckScript = """
        import sys, onnx
        path = sys.argv[1]
        model = onnx.load(path)
        onnx.checker.check_model(model, full_check=True)
        onnx.checker.check_model(path, full_check=True)
        def dims(v):
            return ",".join(d.dim_param if d.HasField("dim_param") else str(d.dim_value) for d in v.type.tensor_type.shape.dim)
        for v in model.graph.input:
            print("input", v.name, v.type.tensor_type.elem_type, dims(v))
        for v in model.graph.output:
            print("output", v.name, v.type.tensor_type.elem_type, dims(v))
        print("ir", model.ir_version, "opset", ",".join(o.domain + ":" + str(o.version) for o in model.opset_import))
        print("nodes", ",".join(n.op_type for n in model.graph.node))
        """;

    public static TheoryData<string> Samples => [.. SampleGraphs.Names];

    [Theory]
    [MemberData(nameof(Samples))]
    public void CheckModel_SampleGraph_PassesFullCheckAndReadsBackTheSameSignature(string name)
    {
        var sample = SampleGraphs.ByName(name);
        using var directory = new TempDirectory();
        var path = directory.File(name + ".onnx");
        OnnxModelFile.Save(sample.Model, path);

        var printed = OnnxPython.Run(CheckScript, path).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(Describe(sample.Model), printed);
    }

    [Fact]
    public void CheckModel_MatMulAddRelu_SeesSymbolicBatchAndFixedWidth()
    {
        using var directory = new TempDirectory();
        var path = directory.File("m.onnx");
        OnnxModelFile.Save(SampleGraphs.MatMulAddRelu().Model, path);

        var printed = OnnxPython.Run(CheckScript, path);

        Assert.Contains("input x 1 batch,4", printed, StringComparison.Ordinal);
        Assert.Contains("output y 1 batch,3", printed, StringComparison.Ordinal);
        Assert.Contains("ir 8 opset :17", printed, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckModel_GatherSoftmax_SeesInt64Input()
    {
        using var directory = new TempDirectory();
        var path = directory.File("g.onnx");
        OnnxModelFile.Save(SampleGraphs.GatherSoftmax().Model, path);

        var printed = OnnxPython.Run(CheckScript, path);

        Assert.Contains("input ids 7 batch,seq", printed, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckModel_DeclaredOutputShapeContradictsInference_IsRejected()
    {
        // Guards the guard: the full check must actually compare declared and inferred shapes.
        var g = new OnnxGraphBuilder("wrong");
        var x = g.Input("x", ElementType.Float, ["batch", 4]);
        g.Output(g.MatMul(x, g.Initializer("w", new float[12], [4, 3])), ElementType.Float, ["batch", 5], "y");
        using var directory = new TempDirectory();
        var path = directory.File("wrong.onnx");
        g.Save(path);

        var result = OnnxPython.TryRun(CheckScript, path);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Inferred shape and existing shape differ", result.Error, StringComparison.Ordinal);
    }

    private static List<string> Describe(ModelProto model)
    {
        static string Dims(ValueInfoProto v) => string.Join(
            ',',
            v.Type.TensorType.Shape.Dim.Select(d => d.HasDimParam ? d.DimParam : d.DimValue.ToString(CultureInfo.InvariantCulture)));

        var lines = new List<string>();
        lines.AddRange(model.Graph.Input.Select(v => $"input {v.Name} {v.Type.TensorType.ElemType} {Dims(v)}"));
        lines.AddRange(model.Graph.Output.Select(v => $"output {v.Name} {v.Type.TensorType.ElemType} {Dims(v)}"));
        lines.Add($"ir {model.IrVersion} opset {string.Join(',', model.OpsetImport.Select(o => $"{o.Domain}:{o.Version}"))}");
        lines.Add($"nodes {string.Join(',', model.Graph.Node.Select(n => n.OpType))}");
        return lines;
    }
}
