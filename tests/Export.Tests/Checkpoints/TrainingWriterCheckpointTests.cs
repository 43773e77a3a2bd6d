using SpeechServe.Export.Checkpoints;
using SpeechServe.Export.Tests.Onnx;
using SpeechServe.Tests.Support;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Export.Tests.Checkpoints;

/// <summary>Checkpoints written by the training code's TorchSharp and safetensors writers read back here.</summary>
public sealed class TrainingWriterCheckpointTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public void ReadFile_TrainingWriterBothFormats_SameTensorsAndReferenceSchema()
    {
        var torchSharp = _directory.File("random.bin");
        var safetensors = _directory.File("random.safetensors");
        TrainingScripts.Run("make_random_checkpoint.py", "--format", "torchsharp", "--output", torchSharp);
        TrainingScripts.Run("make_random_checkpoint.py", "--format", "safetensors", "--output", safetensors);

        var fromTorchSharp = CheckpointReader.ReadFile(torchSharp);
        var fromSafetensors = CheckpointReader.ReadFile(safetensors);

        Assert.Equal(CheckpointFormat.TorchSharp, fromTorchSharp.Format);
        Assert.Equal(CheckpointFormat.Safetensors, fromSafetensors.Format);
        Assert.Equal(fromTorchSharp.Tensors.Names, fromSafetensors.Tensors.Names);
        foreach (var tensor in fromTorchSharp.Tensors)
        {
            var other = fromSafetensors.Tensors[tensor.Name];
            Assert.Equal(tensor.Shape.ToArray(), other.Shape.ToArray());
            Assert.True(tensor.Data.Span.SequenceEqual(other.Data.Span), $"tensor '{tensor.Name}' differs between the formats");
        }

        var domains = ReferenceCheckpointSchema.AdapterDomainsIn(fromTorchSharp.Tensors.Names);
        Assert.Equal(2, domains.Count);
        Assert.Empty(ReferenceCheckpointSchema.For(EncoderArchitecture.Reference, domains).Validate(fromTorchSharp.Tensors));
    }

    [Fact]
    public void ReadFile_TrainingWriterAdapterOnly_MatchesAdapterSchema()
    {
        var path = _directory.File("medical.bin");
        TrainingScripts.Run("make_random_checkpoint.py", "--format", "torchsharp", "--adapter-only", "medical", "--output", path);

        var checkpoint = CheckpointReader.ReadFile(path);

        Assert.All(checkpoint.Tensors.Names, name => Assert.StartsWith("adapters.medical.", name, StringComparison.Ordinal));
        Assert.Empty(ReferenceCheckpointSchema.ForAdapter(EncoderArchitecture.Reference, "medical").Validate(checkpoint.Tensors));
    }

    [Fact]
    public void ReadFile_TrainingWriterTruncated_NamesTheTensorCut()
    {
        var path = _directory.File("random.bin");
        TrainingScripts.Run("make_random_checkpoint.py", "--format", "torchsharp", "--output", path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointReader.ReadFile(path));

        Assert.NotNull(error.TensorName);
        Assert.Contains(error.TensorName, error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();
}
