using System.Security.Cryptography;
using Google.Protobuf;
using SpeechServe.Export.Encoder;
using SpeechServe.Export.Onnx.Proto;
using SpeechServe.Runtime.Models;

namespace SpeechServe.Serving.Tests.Support;

/// <summary>
/// Rewrites a repository's <c>encoder.onnx</c> so that ONNX Runtime itself fails any run whose window holds
/// more than a given number of feature frames: the frame count indexes a Gather into a zero table of that
/// length, whose zero result is added to the log-probabilities. Shorter runs give the same outputs as before;
/// longer ones fail in the Gather kernel ("indices element out of data bounds"), a real inference failure.
/// model.json gets the new file's SHA-256 so that the server loads it.
/// </summary>
internal static class LengthLimitedEncoder
{
    public static void Install(string modelDirectory, int maxFeatureFrames)
    {
        var encoderPath = Path.Combine(modelDirectory, "encoder.onnx");
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(encoderPath));
        var graph = model.Graph;
        var producer = graph.Node.Single(n => n.Output.Contains(EncoderGraphNames.LogProbs));
        producer.Output[producer.Output.IndexOf(EncoderGraphNames.LogProbs)] = "guard_unguarded_log_probs";

        graph.Initializer.Add(new TensorProto { Name = "guard_frame_axis", DataType = (int)TensorProto.Types.DataType.Int64, Int64Data = { 1 } });
        var table = new TensorProto { Name = "guard_zero_table", DataType = (int)TensorProto.Types.DataType.Float, Dims = { maxFeatureFrames + 1 } };
        table.FloatData.AddRange(new float[maxFeatureFrames + 1]);
        graph.Initializer.Add(table);
        graph.Node.Add(Node("Shape", [EncoderGraphNames.Features], "guard_feature_shape"));
        graph.Node.Add(Node("Gather", ["guard_feature_shape", "guard_frame_axis"], "guard_frames"));
        graph.Node.Add(Node("Gather", ["guard_zero_table", "guard_frames"], "guard_zero"));
        graph.Node.Add(Node("Add", ["guard_unguarded_log_probs", "guard_zero"], EncoderGraphNames.LogProbs));

        var bytes = model.ToByteArray();
        File.WriteAllBytes(encoderPath, bytes);
        var manifestPath = Path.Combine(modelDirectory, "model.json");
        var manifest = ModelManifest.Parse(File.ReadAllBytes(manifestPath));
        var files = new Dictionary<string, string>(manifest.Files) { ["encoder.onnx"] = Convert.ToHexStringLower(SHA256.HashData(bytes)) };
        File.WriteAllBytes(manifestPath, (manifest with { Files = files }).ToJsonBytes());
    }

    private static NodeProto Node(string opType, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = opType, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }
}
