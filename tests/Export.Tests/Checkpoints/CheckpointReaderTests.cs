using SpeechServe.Export.Checkpoints;
using SpeechServe.Runtime.Tensors;
using SpeechServe.Tests.Support;

namespace SpeechServe.Export.Tests.Checkpoints;

public class CheckpointReaderTests
{
    [Fact]
    public void Detect_SafetensorsFile_IsSafetensors()
    {
        var bytes = SafetensorsWriter.WriteToArray(TensorSamples.OnePerDType());
        Assert.Equal(CheckpointFormat.Safetensors, CheckpointReader.Detect(bytes));
    }

    [Fact]
    public void Detect_TorchSharpFile_IsTorchSharp()
    {
        var bytes = TorchSharpCheckpointWriter.WriteToArray(TensorSamples.OnePerDType());
        Assert.Equal(CheckpointFormat.TorchSharp, CheckpointReader.Detect(bytes));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0 })]
    [InlineData(new byte[] { 1, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 1, 0, 0, 0, 0, 0, 0, 0, (byte)'[' })]
    [InlineData(new byte[] { 2, 0, 0, 0, 0, 0, 0, 0, (byte)'{' })]
    public void Detect_NotPlausibleSafetensors_IsTorchSharp(byte[] bytes)
    {
        Assert.Equal(CheckpointFormat.TorchSharp, CheckpointReader.Detect(bytes));
    }

    [Theory]
    [InlineData(CheckpointFormat.Safetensors)]
    [InlineData(CheckpointFormat.TorchSharp)]
    public void Read_Detected_ReturnsOrderedTensors(CheckpointFormat format)
    {
        var tensors = TensorSamples.OnePerDType();
        var bytes = Write(format, tensors);

        var checkpoint = CheckpointReader.Read(bytes);

        Assert.Equal(format, checkpoint.Format);
        TensorSamples.AssertSameTensors(tensors, checkpoint.Tensors);
    }

    [Fact]
    public void Read_SafetensorsMetadata_IsExposed()
    {
        var bytes = SafetensorsWriter.WriteToArray(
            [NamedTensor.FromFloat32("w", [1], [1f])], new Dictionary<string, string> { ["format"] = "pt" });
        Assert.Equal("pt", CheckpointReader.Read(bytes).Metadata["format"]);
    }

    [Fact]
    public void Read_ExplicitWrongFormat_FailsInThatFormatsTerms()
    {
        var bytes = TorchSharpCheckpointWriter.WriteToArray([NamedTensor.FromFloat32("w", [1], [1f])]);
        var ex = Assert.Throws<CheckpointFormatException>(() => CheckpointReader.Read(bytes, CheckpointFormat.Safetensors));
        Assert.Equal(CheckpointFormatRules.HeaderLength, ex.Rule);
    }

    [Fact]
    public void ReadFile_TorchSharp_DetectsAndReads()
    {
        var path = Path.Combine(Path.GetTempPath(), $"speechserve-{Guid.NewGuid():N}.bin");
        try
        {
            var tensors = TensorSamples.OnePerDType();
            TorchSharpCheckpointWriter.WriteFile(path, tensors);
            var checkpoint = CheckpointReader.ReadFile(path);
            Assert.Equal(CheckpointFormat.TorchSharp, checkpoint.Format);
            Assert.Empty(checkpoint.Metadata);
            TensorSamples.AssertSameTensors(tensors, checkpoint.Tensors);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Read_Stream_Works()
    {
        var tensors = TensorSamples.OnePerDType();
        using var stream = new MemoryStream(SafetensorsWriter.WriteToArray(tensors));
        TensorSamples.AssertSameTensors(tensors, CheckpointReader.Read(stream).Tensors);
    }

    [Fact]
    public void Read_TorchSharpAndSafetensorsOfSameState_Agree()
    {
        var tensors = TensorSamples.OnePerDType();
        var fromTorchSharp = CheckpointReader.Read(Write(CheckpointFormat.TorchSharp, tensors)).Tensors;
        var fromSafetensors = CheckpointReader.Read(Write(CheckpointFormat.Safetensors, tensors)).Tensors;
        TensorSamples.AssertSameTensors(fromTorchSharp, fromSafetensors);
    }

    internal static byte[] Write(CheckpointFormat format, IEnumerable<NamedTensor> tensors) => format switch
    {
        CheckpointFormat.Safetensors => SafetensorsWriter.WriteToArray(tensors),
        _ => TorchSharpCheckpointWriter.WriteToArray(tensors),
    };
}
