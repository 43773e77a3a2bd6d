using SpeechServe.Export.Encoder;
using SpeechServe.Export.Repository;
using SpeechServe.Export.Tests.Onnx;

namespace SpeechServe.Export.Tests.Encoder;

/// <summary>Every exported encoder graph passes the reference ONNX checker and has the signature docs/model.md fixes.</summary>
[Collection(EncoderExportGroup.Name)]
public sealed class EncoderGraphCheckerTests(EncoderExportFixture fixture)
{
    /// <summary>Runs the full ONNX checker on the model at argv[1] and prints its signature, opsets, metadata keys and operators.</summary>
    internal const string CheckScript = """
        import sys, onnx
        path = sys.argv[1]
        model = onnx.load(path)
        onnx.checker.check_model(model, full_check=True)
        def dims(v):
            return ",".join(d.dim_param if d.HasField("dim_param") else str(d.dim_value) for d in v.type.tensor_type.shape.dim)
        for v in model.graph.input:
            print("input", v.name, v.type.tensor_type.elem_type, dims(v))
        for v in model.graph.output:
            print("output", v.name, v.type.tensor_type.elem_type, dims(v))
        print("ir", model.ir_version, "opset", ",".join(o.domain + ":" + str(o.version) for o in model.opset_import))
        print("metadata", ",".join(sorted(p.key for p in model.metadata_props)))
        print("ops", ",".join(sorted(set(n.op_type for n in model.graph.node))))
        """;

    public static TheoryData<string> Graphs => [RepositoryLayout.Encoder, RepositoryLayout.EncoderInt8];

    [Theory]
    [MemberData(nameof(Graphs))]
    public void CheckModel_ExportedEncoder_PassesFullCheckWithTheContractSignature(string file)
    {
        var printed = OnnxPython.Run(CheckScript, Path.Combine(fixture.ModelDirectory, file))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);

        string[] expected =
        [
            "input features 1 batch,frames,80",
            "input feature_lengths 7 batch",
            "input attn_cache 1 6,batch,32,192",
            "input cache_len 7 batch",
            "input conv_cache 1 6,batch,192,14",
            "input adapter_down 1 batch,6,192,16",
            "input adapter_down_bias 1 batch,6,16",
            "input adapter_up 1 batch,6,16,192",
            "input adapter_up_bias 1 batch,6,192",
            "input head_weight 1 batch,192,29",
            "input head_bias 1 batch,29",
            "output log_probs 1 batch,encoder_frames,29",
            "output encoder_out 1 batch,encoder_frames,192",
            "output output_lengths 7 batch",
            "output attn_cache_out 1 6,batch,32,192",
            "output cache_len_out 7 batch",
            "output conv_cache_out 1 6,batch,192,14",
            "ir 8 opset :17",
            "metadata architecture,base_sha256,checkpoint_sha256,model_id,precision",
        ];
        Assert.Equal(expected, printed[..^1]);
    }

    [Fact]
    public void CheckModel_Int8Encoder_QuantizesWeightsWithIntegerMatMuls()
    {
        var ops = OnnxPython.Run(CheckScript, Path.Combine(fixture.ModelDirectory, RepositoryLayout.EncoderInt8))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];

        Assert.Contains("DynamicQuantizeLinear", ops, StringComparison.Ordinal);
        Assert.Contains("MatMulInteger", ops, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_SameWeightsTwice_GivesIdenticalBytes()
    {
        var tensors = SpeechServe.Export.Checkpoints.CheckpointReader.ReadFile(fixture.SafetensorsCheckpoint).Tensors;
        var weights = CheckpointWeights.FromCheckpoint(tensors);

        var first = EncoderGraph.Build(EncoderExportFixture.Architecture, weights);
        var second = EncoderGraph.Build(EncoderExportFixture.Architecture, weights);

        Assert.Equal(Google.Protobuf.MessageExtensions.ToByteArray(first), Google.Protobuf.MessageExtensions.ToByteArray(second));
    }
}
