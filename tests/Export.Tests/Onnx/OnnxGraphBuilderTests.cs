using System.Runtime.InteropServices;
using Google.Protobuf;
using SpeechServe.Export.Onnx;
using SpeechServe.Export.Onnx.Proto;
using AttributeType = SpeechServe.Export.Onnx.Proto.AttributeProto.Types.AttributeType;

namespace SpeechServe.Export.Tests.Onnx;

/// <summary>Structure of built models, read back from their serialized bytes.</summary>
public sealed class OnnxGraphBuilderTests
{
    [Fact]
    public void ToBytes_SymbolicAndFixedDims_RoundTripAsDimParamAndDimValue()
    {
        var model = RoundTrip(SampleGraphs.MatMulAddRelu().Model);

        var input = Assert.Single(model.Graph.Input);
        Assert.Equal("x", input.Name);
        Assert.Equal((int)TensorProto.Types.DataType.Float, input.Type.TensorType.ElemType);
        var dims = input.Type.TensorType.Shape.Dim;
        Assert.Equal(2, dims.Count);
        Assert.True(dims[0].HasDimParam);
        Assert.Equal("batch", dims[0].DimParam);
        Assert.True(dims[1].HasDimValue);
        Assert.Equal(4, dims[1].DimValue);
        Assert.Equal("y", Assert.Single(model.Graph.Output).Name);
    }

    [Fact]
    public void ToBytes_Int64Input_KeepsElementTypeAndBothSymbols()
    {
        var input = Assert.Single(RoundTrip(SampleGraphs.GatherSoftmax().Model).Graph.Input);

        Assert.Equal((int)TensorProto.Types.DataType.Int64, input.Type.TensorType.ElemType);
        Assert.Equal(["batch", "seq"], input.Type.TensorType.Shape.Dim.Select(d => d.DimParam));
    }

    [Fact]
    public void ToBytes_FloatInitializer_RoundTripsDimsAndLittleEndianRawData()
    {
        var model = RoundTrip(SampleGraphs.MatMulAddRelu().Model);

        var w = model.Graph.Initializer.Single(t => t.Name == "w");
        Assert.Equal((int)TensorProto.Types.DataType.Float, w.DataType);
        Assert.Equal([4L, 3L], w.Dims);
        Assert.Equal(SampleGraphs.Pattern(12, 0.25f, 1), MemoryMarshal.Cast<byte, float>(w.RawData.Span).ToArray());
        Assert.Empty(w.FloatData);
        Assert.False(w.HasDataLocation);
    }

    [Fact]
    public void ToBytes_Int64Initializer_RoundTripsRawData()
    {
        var g = new OnnxGraphBuilder();
        var x = g.Input("x", ElementType.Float, ["batch", 6]);
        var shape = g.Initializer("shape", [-1L, 2, 3], [3]);
        g.Output(g.Reshape(x, shape), ElementType.Float, ["batch", 2, 3], "y");

        var tensor = Assert.Single(RoundTrip(g.Build()).Graph.Initializer);

        Assert.Equal((int)TensorProto.Types.DataType.Int64, tensor.DataType);
        Assert.Equal([3L], tensor.Dims);
        Assert.Equal([-1L, 2, 3], MemoryMarshal.Cast<byte, long>(tensor.RawData.Span).ToArray());
    }

    [Fact]
    public void ToBytes_NodeAttributes_RoundTripEveryKindWithItsTypeTag()
    {
        var g = new OnnxGraphBuilder();
        g.ImportOpset("org.speechserve.test", 1);
        var x = g.Input("x", ElementType.Float, ["batch"]);
        var outputs = g.Node(
            "Probe",
            [x, GraphValue.Absent],
            [
                OnnxAttributes.Int("i", -7),
                OnnxAttributes.Float("f", 0.25f),
                OnnxAttributes.String("s", "héllo"),
                OnnxAttributes.Ints("ints", 1, 2, 3),
                OnnxAttributes.Floats("floats", 0.5f, -1.5f),
                OnnxAttributes.Strings("strings", "a", "b"),
                OnnxAttributes.Tensor("t", TensorProtos.FromInt64s("t", [4, 5], [2])),
            ],
            outputCount: 2,
            domain: "org.speechserve.test");
        g.Output(outputs[0], ElementType.Float, ["batch"]);

        var node = Assert.Single(RoundTrip(g.Build()).Graph.Node);
        var a = node.Attribute.ToDictionary(attribute => attribute.Name);

        Assert.Equal("org.speechserve.test", node.Domain);
        Assert.Equal(["x", ""], node.Input);
        Assert.Equal(2, node.Output.Count);
        Assert.Equal(
            [AttributeType.Int, AttributeType.Float, AttributeType.String, AttributeType.Ints, AttributeType.Floats, AttributeType.Strings, AttributeType.Tensor],
            node.Attribute.Select(attribute => attribute.Type));
        Assert.Equal(-7L, a["i"].I);
        Assert.Equal(0.25f, a["f"].F);
        Assert.Equal("héllo", a["s"].S.ToStringUtf8());
        Assert.Equal([1L, 2, 3], a["ints"].Ints);
        Assert.Equal([0.5f, -1.5f], a["floats"].Floats);
        Assert.Equal(["a", "b"], a["strings"].Strings.Select(s => s.ToStringUtf8()));
        Assert.Equal([2L], a["t"].T.Dims);
        Assert.Equal([4L, 5L], MemoryMarshal.Cast<byte, long>(a["t"].T.RawData.Span).ToArray());
    }

    [Fact]
    public void ToBytes_ZeroValuedAttributes_StillCarryTheirValueField()
    {
        var attributes = new[] { OnnxAttributes.Float("f", 0f), OnnxAttributes.Int("i", 0) };

        var parsed = attributes.Select(a => AttributeProto.Parser.ParseFrom(a.ToByteArray())).ToArray();

        Assert.True(parsed[0].HasF);
        Assert.True(parsed[1].HasI);
    }

    [Fact]
    public void ToBytes_LayerNormalizationAndConv_WriteTheirAttributes()
    {
        var layerNorm = RoundTrip(SampleGraphs.LayerNorm().Model).Graph.Node.Single(n => n.OpType == "LayerNormalization");
        var conv = RoundTrip(SampleGraphs.Conv1d().Model).Graph.Node.Single(n => n.OpType == "Conv");

        Assert.Equal(-1, layerNorm.Attribute.Single(a => a.Name == "axis").I);
        Assert.Equal(1e-5f, layerNorm.Attribute.Single(a => a.Name == "epsilon").F);
        Assert.Equal(3, layerNorm.Input.Count);
        Assert.Equal([1L, 1L], conv.Attribute.Single(a => a.Name == "pads").Ints);
        Assert.Equal([3L], conv.Attribute.Single(a => a.Name == "kernel_shape").Ints);
        Assert.Equal("NOTSET", conv.Attribute.Single(a => a.Name == "auto_pad").S.ToStringUtf8());
        Assert.DoesNotContain(conv.Attribute, a => a.Name == "group");
    }

    [Fact]
    public void Build_OpsetImportsAndMetadata_AreWritten()
    {
        var g = new OnnxGraphBuilder("encoder", opsetVersion: 18)
        {
            ProducerName = "speechserve-export",
            ProducerVersion = "0.1.0",
            DocString = "An encoder.",
            Domain = "org.speechserve",
            ModelVersion = 3,
        };
        g.ImportOpset("com.microsoft", 1);
        g.ImportOpset(string.Empty, 17);
        g.SetMetadata("sample_rate", "8000");
        g.SetMetadata("sample_rate", "16000");
        g.SetMetadata("feature", "fbank80");
        g.Output(g.Relu(g.Input("x", ElementType.Float, [1])), ElementType.Float, [1]);

        var model = RoundTrip(g.Build());

        Assert.Equal(OnnxGraphBuilder.DefaultIrVersion, model.IrVersion);
        Assert.Equal(("speechserve-export", "0.1.0"), (model.ProducerName, model.ProducerVersion));
        Assert.Equal(("An encoder.", "org.speechserve", 3L), (model.DocString, model.Domain, model.ModelVersion));
        Assert.Equal("encoder", model.Graph.Name);
        Assert.Equal(
            [("com.microsoft", 1L), (string.Empty, 17L)],
            model.OpsetImport.Select(o => (o.Domain, o.Version)).OrderBy(o => o.Domain, StringComparer.Ordinal).Reverse());
        Assert.Equal(
            [("sample_rate", "16000"), ("feature", "fbank80")],
            model.MetadataProps.Select(e => (e.Key, e.Value)));
    }

    [Fact]
    public void Build_EmptyOptionalModelFields_AreNotWritten()
    {
        var g = new OnnxGraphBuilder();
        g.Output(g.Relu(g.Input("x", ElementType.Float, [1])), ElementType.Float, [1]);

        var model = RoundTrip(g.Build());

        Assert.False(model.HasProducerVersion);
        Assert.False(model.HasDocString);
        Assert.False(model.HasDomain);
        Assert.False(model.HasModelVersion);
        Assert.False(Assert.Single(model.Graph.Node).HasDomain);
    }

    [Fact]
    public void Node_GeneratedNames_AreUniqueAcrossNodesAndValues()
    {
        var g = new OnnxGraphBuilder();
        var x = g.Input("Relu_0_output_0", ElementType.Float, ["batch", 4]);
        var y = g.Relu(g.Relu(g.Relu(x)));
        g.Output(y, ElementType.Float, ["batch", 4]);

        var graph = g.Build().Graph;
        var valueNames = graph.Input.Select(v => v.Name).Concat(graph.Node.SelectMany(n => n.Output)).ToList();

        Assert.Equal(graph.Node.Count, graph.Node.Select(n => n.Name).Distinct().Count());
        Assert.Equal(valueNames.Count, valueNames.Distinct().Count());
        Assert.All(graph.Node, n => Assert.StartsWith("Relu_", n.Name, StringComparison.Ordinal));
    }

    [Fact]
    public void Output_WithANewName_AddsAnIdentityNode()
    {
        var g = new OnnxGraphBuilder();
        var relu = g.Relu(g.Input("x", ElementType.Float, [2]));

        var output = g.Output(relu, ElementType.Float, [2], "y");

        var graph = g.Build().Graph;
        Assert.Equal("y", output.Name);
        Assert.Equal(["Relu", "Identity"], graph.Node.Select(n => n.OpType));
        Assert.Equal([relu.Name], graph.Node[1].Input);
        Assert.Equal("y", Assert.Single(graph.Output).Name);
    }

    [Fact]
    public void Node_InputFromAnotherBuilder_Throws()
    {
        var other = new OnnxGraphBuilder().Input("x", ElementType.Float, [1]);
        var g = new OnnxGraphBuilder();
        g.Input("y", ElementType.Float, [1]);

        Assert.Throws<ArgumentException>(() => g.Relu(other));
    }

    [Fact]
    public void Input_DuplicateName_Throws()
    {
        var g = new OnnxGraphBuilder();
        g.Input("x", ElementType.Float, [1]);

        Assert.Throws<ArgumentException>(() => g.Initializer("x", [1f], [1]));
    }

    [Fact]
    public void Initializer_ElementCountNotMatchingShape_Throws()
    {
        var g = new OnnxGraphBuilder();

        var error = Assert.Throws<ArgumentException>(() => g.Initializer("w", [1f, 2f, 3f], [2, 2]));

        Assert.Contains("'w'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Node_DomainNotImported_Throws()
    {
        var g = new OnnxGraphBuilder();
        var x = g.Input("x", ElementType.Float, [1]);

        Assert.Throws<InvalidOperationException>(() => g.Node("FusedGelu", [x], [], 1, "com.microsoft"));
    }

    [Fact]
    public void Build_WithoutOutputs_Throws()
    {
        var g = new OnnxGraphBuilder();
        g.Input("x", ElementType.Float, [1]);

        Assert.Throws<InvalidOperationException>(() => g.Build());
    }

    [Fact]
    public void Build_CalledTwice_ReturnsIndependentSnapshots()
    {
        var g = new OnnxGraphBuilder();
        var x = g.Input("x", ElementType.Float, [1]);
        g.Output(g.Relu(x), ElementType.Float, [1]);
        var first = g.Build();

        g.Output(g.Relu(x), ElementType.Float, [1]);

        Assert.Single(first.Graph.Output);
        Assert.Equal(2, g.Build().Graph.Output.Count);
    }

    private static ModelProto RoundTrip(ModelProto model) => ModelProto.Parser.ParseFrom(model.ToByteArray());
}
