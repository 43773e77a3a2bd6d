using SpeechServe.Runtime.Tensors;
using SpeechServe.Tests.Support;

namespace SpeechServe.Runtime.Tests.Tensors;

public class SafetensorsRoundTripTests
{
    [Fact]
    public void WriteThenRead_EveryDType_PreservesNamesShapesAndBytes()
    {
        var tensors = TensorSamples.OnePerDType();

        var file = SafetensorsReader.Read(SafetensorsWriter.WriteToArray(tensors));

        TensorSamples.AssertSameTensors(tensors, file.Tensors);
        Assert.Empty(file.Metadata);
    }

    [Fact]
    public void WriteThenRead_Metadata_IsPreserved()
    {
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["domain"] = "telephony" };

        var file = SafetensorsReader.Read(
            SafetensorsWriter.WriteToArray([NamedTensor.FromFloat32("w", [1], [1f])], metadata));

        Assert.Equal(metadata.OrderBy(p => p.Key), file.Metadata.OrderBy(p => p.Key));
    }

    [Fact]
    public void WriteThenRead_NoTensors_IsEmpty()
    {
        var file = SafetensorsReader.Read(SafetensorsWriter.WriteToArray([]));
        Assert.Empty(file.Tensors);
    }

    [Fact]
    public void WriteFileThenReadFile_RoundTrips()
    {
        var path = Path.Combine(Path.GetTempPath(), $"speechserve-{Guid.NewGuid():N}.safetensors");
        try
        {
            var tensors = TensorSamples.OnePerDType();
            SafetensorsWriter.WriteFile(path, tensors);
            TensorSamples.AssertSameTensors(tensors, SafetensorsReader.ReadFile(path).Tensors);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Read_EntriesOutOfOffsetOrderInHeader_ReturnsDataOrder()
    {
        var bytes = SafetensorsBytes.Build(
            """{"second":{"dtype":"U8","shape":[1],"data_offsets":[1,2]},"first":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}""",
            [10, 20]);

        var file = SafetensorsReader.Read(bytes);

        Assert.Equal(["first", "second"], file.Tensors.Names);
        Assert.Equal([20], file.Tensors["second"].Data.ToArray());
    }

    [Fact]
    public void Read_HeaderWithTrailingSpacesAndUnicodeName_IsAccepted()
    {
        var bytes = SafetensorsBytes.Build("""{"gewicht.\u00e4":{"dtype":"U8","shape":[],"data_offsets":[0,1]}}     """, [1]);
        Assert.Equal("gewicht.\u00e4", SafetensorsReader.Read(bytes).Tensors[0].Name);
    }

    [Fact]
    public void Read_NonFiniteWithoutRequirement_IsAccepted()
    {
        var bytes = SafetensorsWriter.WriteToArray([NamedTensor.FromFloat32("w", [2], [1f, float.NaN])]);
        Assert.Single(SafetensorsReader.Read(bytes).Tensors);
    }

    [Fact]
    public void Read_NonFiniteWithRequirement_NamesTensorAndElement()
    {
        var bytes = SafetensorsWriter.WriteToArray([NamedTensor.FromFloat32("w", [3], [1f, 2f, float.PositiveInfinity])]);

        var ex = Assert.Throws<CheckpointFormatException>(
            () => SafetensorsReader.Read(bytes, new CheckpointReadOptions { RequireFiniteFloats = true }));

        Assert.Equal(CheckpointFormatRules.NonFinite, ex.Rule);
        Assert.Equal("tensor 'w': non-finite: element 2 is NaN or infinite", ex.Message);
    }

    [Fact]
    public void Read_Stream_MatchesMemory()
    {
        var tensors = TensorSamples.OnePerDType();
        using var stream = new MemoryStream(SafetensorsWriter.WriteToArray(tensors));
        TensorSamples.AssertSameTensors(tensors, SafetensorsReader.Read(stream).Tensors);
    }
}
