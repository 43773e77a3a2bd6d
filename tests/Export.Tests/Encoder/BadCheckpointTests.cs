using System.Text;
using SpeechServe.Export.Checkpoints;
using SpeechServe.Export.Repository;
using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Export.Tests.Encoder;

/// <summary>
/// Malformed, truncated and mismatched checkpoints are refused with a message naming the tensor and the
/// problem, and leave no output directory (nor staging directory) behind.
/// </summary>
[Collection(EncoderExportGroup.Name)]
public sealed class BadCheckpointTests(EncoderExportFixture fixture)
{
    public static TheoryData<string, string> Cases => new()
    {
        { "truncated safetensors", "Safetensors checkpoint bad.ckpt is malformed: " },
        { "truncated torchsharp", "TorchSharp checkpoint bad.ckpt is malformed: " },
        { "bad header", "Safetensors checkpoint bad.ckpt is malformed: " },
        { "missing tensor", "missing tensor 'layers.3.attn.q.weight' (expected Float32 [192,192])" },
        { "wrong shape", "tensor 'layers.0.ff1.linear1.weight': expected shape [768,192], found [768,191]" },
        { "wrong dtype", "tensor 'ctc.bias': dtype Float64, expected Float32" },
        { "unexpected tensor", "unexpected tensor 'layers.0.extra.weight'" },
        { "incomplete adapter", "missing tensor 'adapters.medical.layers.5.up.bias'" },
        { "non-finite value", "tensor 'subsample.conv1.bias': element 5 is NaN or infinite." },
        { "bad adapter name", "adapter name 'a b' must be" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Export_BadCheckpoint_IsRefusedNamingTheProblemAndWritesNothing(string kind, string expected)
    {
        var directory = fixture.NewDirectory();
        var checkpoint = Path.Combine(directory, "bad.ckpt");
        File.WriteAllBytes(checkpoint, Corrupt(kind));
        var models = Path.Combine(directory, "models");
        var output = Path.Combine(models, "bad");

        var error = Assert.Throws<ExportException>(() => ModelRepositoryExporter.Export(new ModelExportRequest
        {
            CheckpointPath = checkpoint,
            Architecture = EncoderExportFixture.Architecture,
            OutputDirectory = output,
            ModelId = "bad",
            QuantizeInt8 = true,
        }));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output), "the output directory was created");
        Assert.Empty(Directory.EnumerateFileSystemEntries(models));
    }

    [Fact]
    public void Export_ExplicitFormatDisagreesWithFile_IsRefused()
    {
        var output = Path.Combine(fixture.NewDirectory(), "out");

        var error = Assert.Throws<ExportException>(() => ModelRepositoryExporter.Export(new ModelExportRequest
        {
            CheckpointPath = fixture.SafetensorsCheckpoint,
            Format = CheckpointFormat.TorchSharp,
            Architecture = EncoderExportFixture.Architecture,
            OutputDirectory = output,
            ModelId = "bad",
        }));

        Assert.StartsWith("TorchSharp checkpoint random.safetensors is malformed", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    private byte[] Corrupt(string kind)
    {
        var safetensors = File.ReadAllBytes(fixture.SafetensorsCheckpoint);
        switch (kind)
        {
            case "truncated safetensors":
                return safetensors[..(safetensors.Length / 2)];
            case "truncated torchsharp":
                var torchSharp = File.ReadAllBytes(fixture.TorchSharpCheckpoint);
                return torchSharp[..(torchSharp.Length - 1000)];
            case "bad header":
                // Keep the length prefix and the opening brace; break the JSON after it.
                var broken = (byte[])safetensors.Clone();
                Encoding.ASCII.GetBytes("\"name\" 12 ").CopyTo(broken, 9);
                return broken;
        }

        var tensors = SafetensorsReader.Read(safetensors).Tensors.ToList();
        switch (kind)
        {
            case "missing tensor":
                tensors.RemoveAll(t => t.Name == "layers.3.attn.q.weight");
                break;
            case "wrong shape":
                Replace(tensors, "layers.0.ff1.linear1.weight", t => NamedTensor.FromFloat32(t.Name, [768, 191], t.AsSpan<float>()[..(768 * 191)]));
                break;
            case "wrong dtype":
                Replace(tensors, "ctc.bias", t => NamedTensor.FromValues<double>(
                    t.Name, TensorDType.Float64, t.Shape.AsSpan(), [.. t.AsSpan<float>().ToArray().Select(v => (double)v)]));
                break;
            case "unexpected tensor":
                tensors.Add(NamedTensor.FromFloat32("layers.0.extra.weight", [2], [1f, 2f]));
                break;
            case "incomplete adapter":
                tensors.RemoveAll(t => t.Name == "adapters.medical.layers.5.up.bias");
                break;
            case "non-finite value":
                Replace(tensors, "subsample.conv1.bias", t =>
                {
                    var values = t.AsSpan<float>().ToArray();
                    values[5] = float.NaN;
                    return NamedTensor.FromFloat32(t.Name, t.Shape.AsSpan(), values);
                });
                break;
            case "bad adapter name":
                tensors = [.. tensors.Select(t => t.Name.StartsWith("adapters.medical.", StringComparison.Ordinal)
                    ? t.WithName("adapters.a b." + t.Name["adapters.medical.".Length..])
                    : t)];
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }

        return SafetensorsWriter.WriteToArray(tensors);
    }

    private static void Replace(List<NamedTensor> tensors, string name, Func<NamedTensor, NamedTensor> change)
    {
        var index = tensors.FindIndex(t => t.Name == name);
        tensors[index] = change(tensors[index]);
    }
}
