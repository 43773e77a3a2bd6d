using System.Security.Cryptography;
using Google.Protobuf;
using SpeechServe.Export.Onnx.Proto;
using SpeechServe.Runtime.Encoder;
using SpeechServe.Runtime.Models;

namespace SpeechServe.Serving.Tests.Support;

/// <summary>
/// Rewrites a repository's <c>encoder.onnx</c> so that ONNX Runtime itself fails runs past a length limit: the
/// length indexes a Gather into a zero table of limit + 1 entries, whose zero result is added to the
/// log-probabilities. Runs within the limit give the same outputs as before; the others fail in the Gather
/// kernel ("indices element out of data bounds"), a real inference failure. model.json gets the new file's
/// SHA-256 so that the server loads it.
/// </summary>
internal static class LengthLimitedEncoder
{
    /// <summary>Fails any run whose window holds more than <paramref name="maxFeatureFrames"/> feature frames.</summary>
    public static void LimitFeatureFrames(string modelDirectory, int maxFeatureFrames) =>
        Rewrite(modelDirectory, maxFeatureFrames, graph =>
        {
            graph.Initializer.Add(Int64Scalar("guard_frame_axis", 1));
            graph.Node.Add(Node("Shape", [EncoderGraphNames.Features], "guard_feature_shape"));
            graph.Node.Add(Node("Gather", ["guard_feature_shape", "guard_frame_axis"], "guard_frames"));
            return "guard_frames";
        });

    /// <summary>
    /// Fails any run whose attention cache holds more than <paramref name="maxCacheFrames"/> valid encoder frames
    /// (<c>cache_len</c> of the first batch element). A stream's cache grows by one chunk's encoder frames per
    /// run up to the left context, so its first runs succeed and the later ones fail; offline runs start with an
    /// empty cache and always succeed.
    /// </summary>
    public static void LimitCacheFrames(string modelDirectory, int maxCacheFrames) =>
        Rewrite(modelDirectory, maxCacheFrames, graph =>
        {
            graph.Initializer.Add(Int64Scalar("guard_first_element", 0));
            graph.Node.Add(Node("Gather", [EncoderGraphNames.CacheLength, "guard_first_element"], "guard_cache_frames"));
            return "guard_cache_frames";
        });

    /// <summary>Adds the guard on the scalar length that <paramref name="addLength"/> computes in the graph.</summary>
    private static void Rewrite(string modelDirectory, int limit, Func<GraphProto, string> addLength)
    {
        var encoderPath = Path.Combine(modelDirectory, "encoder.onnx");
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(encoderPath));
        var graph = model.Graph;
        var producer = graph.Node.Single(n => n.Output.Contains(EncoderGraphNames.LogProbs));
        producer.Output[producer.Output.IndexOf(EncoderGraphNames.LogProbs)] = "guard_unguarded_log_probs";

        var length = addLength(graph);
        var table = new TensorProto { Name = "guard_zero_table", DataType = (int)TensorProto.Types.DataType.Float, Dims = { limit + 1 } };
        table.FloatData.AddRange(new float[limit + 1]);
        graph.Initializer.Add(table);
        graph.Node.Add(Node("Gather", ["guard_zero_table", length], "guard_zero"));
        graph.Node.Add(Node("Add", ["guard_unguarded_log_probs", "guard_zero"], EncoderGraphNames.LogProbs));

        var bytes = model.ToByteArray();
        File.WriteAllBytes(encoderPath, bytes);
        var manifestPath = Path.Combine(modelDirectory, "model.json");
        var manifest = ModelManifest.Parse(File.ReadAllBytes(manifestPath));
        var files = new Dictionary<string, string>(manifest.Files) { ["encoder.onnx"] = Convert.ToHexStringLower(SHA256.HashData(bytes)) };
        File.WriteAllBytes(manifestPath, (manifest with { Files = files }).ToJsonBytes());
    }

    private static TensorProto Int64Scalar(string name, long value) =>
        new() { Name = name, DataType = (int)TensorProto.Types.DataType.Int64, Int64Data = { value } };

    private static NodeProto Node(string opType, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = opType, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }
}
