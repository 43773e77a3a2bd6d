using SpeechServe.Export.Checkpoints;
using SpeechServe.Runtime.Tensors;
using SpeechServe.Tests.Support;

namespace SpeechServe.Export.Tests.Checkpoints;

public class TorchSharpCheckpointRoundTripTests
{
    [Fact]
    public void WriteThenRead_EveryDType_PreservesOrderShapesAndBytes()
    {
        var tensors = TensorSamples.OnePerDType();

        var read = TorchSharpCheckpointReader.Read(TorchSharpCheckpointWriter.WriteToArray(tensors));

        TensorSamples.AssertSameTensors(tensors, read);
    }

    [Fact]
    public void WriteThenRead_NoTensors_IsEmpty()
    {
        var bytes = TorchSharpCheckpointWriter.WriteToArray([]);
        Assert.Equal([0], bytes);
        Assert.Empty(TorchSharpCheckpointReader.Read(bytes));
    }

    [Fact]
    public void WriteFileThenReadFile_RoundTrips()
    {
        var path = Path.Combine(Path.GetTempPath(), $"speechserve-{Guid.NewGuid():N}.bin");
        try
        {
            var tensors = TensorSamples.OnePerDType();
            TorchSharpCheckpointWriter.WriteFile(path, tensors);
            TensorSamples.AssertSameTensors(tensors, TorchSharpCheckpointReader.ReadFile(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Write_DuplicateName_Throws()
    {
        Assert.Throws<ArgumentException>(() => TorchSharpCheckpointWriter.WriteToArray(
            [NamedTensor.FromFloat32("w", [1], [1f]), NamedTensor.FromFloat32("w", [1], [2f])]));
    }

    [Fact]
    public void Read_NonFiniteWithRequirement_NamesTensor()
    {
        var bytes = TorchSharpCheckpointWriter.WriteToArray([NamedTensor.FromFloat32("w", [2], [float.NaN, 1f])]);
        var ex = Assert.Throws<CheckpointFormatException>(
            () => TorchSharpCheckpointReader.Read(bytes, new CheckpointReadOptions { RequireFiniteFloats = true }));
        Assert.Equal("tensor 'w': non-finite: element 0 is NaN or infinite", ex.Message);
    }
}
