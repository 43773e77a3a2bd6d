using System.Runtime.InteropServices;
using Google.Protobuf;
using SpeechServe.Export.Checkpoints;
using SpeechServe.Export.Onnx;
using SpeechServe.Export.Onnx.Proto;
using SpeechServe.Export.Repository;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Export.Adaptation;

/// <summary>
/// Recovers a model's base weights in the checkpoint layout (docs/model.md) from the model repository alone:
/// the initializers of <c>encoder.onnx</c> (sparse ones densified) and the CTC head in <c>base_head.safetensors</c>. It undoes the
/// exporter's layout changes (Linear and kernel-1 convolution weights stored as <c>{prefix}.weight_t</c>
/// <c>[in, out]</c>, strided convolutions as <c>[kernel * in, out]</c>, the feed-forward modules' 0.5 folded into
/// <c>linear2</c>) and proves the result exact: its hash must be the manifest's <c>base_sha256</c>.
/// </summary>
public static class RepositoryBaseWeights
{
    /// <summary>Reads the base weights of the repository at <paramref name="modelDirectory"/>.</summary>
    /// <exception cref="ExportException">A file is missing or does not hold the weights <c>model.json</c> names.</exception>
    public static TensorMap Read(string modelDirectory, ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var initializers = ReadInitializers(Path.Combine(modelDirectory, manifest.Encoder));
        var head = ReadHead(Path.Combine(modelDirectory, manifest.BaseHead));
        var tensors = new List<NamedTensor>();
        foreach (var spec in ReferenceCheckpointSchema.For(manifest.Architecture).Specs)
        {
            tensors.Add(head.TryGetValue(spec.Name, out var headTensor)
                ? headTensor
                : NamedTensor.FromFloat32(spec.Name, spec.Shape.AsSpan(), Recover(spec, initializers)));
        }

        var map = new TensorMap(tensors);
        var hash = BaseWeightsHash.Compute(map);
        if (hash != manifest.BaseSha256)
        {
            throw new ExportException(
                $"the weights in {manifest.Encoder} and {manifest.BaseHead} hash to {hash}, not to model.json's base_sha256 {manifest.BaseSha256}; the repository's files do not belong together (re-export it).");
        }

        return map;
    }

    private static float[] Recover(TensorSpec spec, Dictionary<string, float[]> initializers)
    {
        const string WeightSuffix = ".weight";
        var isWeight = spec.Name.EndsWith(WeightSuffix, StringComparison.Ordinal);
        var prefix = isWeight ? spec.Name[..^WeightSuffix.Length] : spec.Name[..spec.Name.LastIndexOf('.')];
        float[] values;
        if (initializers.TryGetValue(spec.Name, out var stored))
        {
            values = [.. stored];
        }
        else if (isWeight && initializers.TryGetValue(prefix + ".weight_t", out var transposed))
        {
            values = Untranspose(spec, transposed);
        }
        else
        {
            throw new ExportException($"encoder.onnx has no initializer for checkpoint tensor '{spec.Name}'; it was not written by this exporter.");
        }

        if (IsHalfStepOutput(prefix))
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] *= 2f;
            }
        }

        return values;
    }

    // The graph holds 0.5 * linear2 of both feed-forward modules (exact: a power of two).
    private static bool IsHalfStepOutput(string prefix) =>
        prefix.EndsWith(".ff1.linear2", StringComparison.Ordinal) || prefix.EndsWith(".ff2.linear2", StringComparison.Ordinal);

    /// <summary><c>W[o, c, k] = T[(k * in + c) * out + o]</c>: the inverse of <see cref="Encoder.CheckpointWeights"/>' layouts (k = 0 for Linear).</summary>
    private static float[] Untranspose(TensorSpec spec, float[] transposed)
    {
        int outputs = (int)spec.Shape[0], inputs = (int)spec.Shape[1], kernel = spec.Shape.Length > 2 ? (int)spec.Shape[2] : 1;
        if (transposed.Length != spec.ElementCount)
        {
            throw new ExportException($"encoder.onnx's weight for '{spec.Name}' has {transposed.Length} elements, the architecture needs {spec.ElementCount}.");
        }

        var weight = new float[transposed.Length];
        for (var o = 0; o < outputs; o++)
        {
            for (var c = 0; c < inputs; c++)
            {
                for (var k = 0; k < kernel; k++)
                {
                    weight[(((o * inputs) + c) * kernel) + k] = transposed[(((k * inputs) + c) * outputs) + o];
                }
            }
        }

        return weight;
    }

    private static Dictionary<string, float[]> ReadInitializers(string path)
    {
        if (!File.Exists(path))
        {
            throw new ExportException($"{path} does not exist; --model must be a model repository written by 'export'.");
        }

        ModelProto model;
        try
        {
            using var stream = File.OpenRead(path);
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new ExportException($"{path} is not an ONNX model: {ex.Message}", ex);
        }

        try
        {
            return model.Graph.Initializer.Concat(model.Graph.SparseInitializer.Select(SparseInitializers.Densify))
                .Where(t => t.DataType == (int)TensorProto.Types.DataType.Float)
                .ToDictionary(t => t.Name, FloatValues, StringComparer.Ordinal);
        }
        catch (InvalidDataException ex)
        {
            throw new ExportException($"{path}: {ex.Message}", ex);
        }
    }

    private static float[] FloatValues(TensorProto tensor)
    {
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            throw new ExportException($"encoder.onnx keeps '{tensor.Name}' in an external data file, which adaptation does not read; export the model with its weights inline.");
        }

        return tensor.HasRawData
            ? MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray()
            : [.. tensor.FloatData];
    }

    private static TensorMap ReadHead(string path)
    {
        if (!File.Exists(path))
        {
            throw new ExportException($"{path} does not exist; the repository has no base CTC head.");
        }

        return new TensorMap(SafetensorsReader.ReadFile(path).Tensors);
    }
}
