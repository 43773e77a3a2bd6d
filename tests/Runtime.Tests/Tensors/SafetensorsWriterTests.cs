using System.Buffers.Binary;
using System.Text;
using SpeechServe.Runtime.Tensors;
using SpeechServe.Tests.Support;

namespace SpeechServe.Runtime.Tests.Tensors;

public class SafetensorsWriterTests
{
    [Fact]
    public void WriteToArray_OneTensor_MatchesHandBuiltBytes()
    {
        var bytes = SafetensorsWriter.WriteToArray([NamedTensor.FromFloat32("w", [2], [1f, 2f])]);

        const string Json = """{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""";
        var header = Json + new string(' ', 8 - (Json.Length % 8));
        byte[] expected = SafetensorsBytes.Build(header, TensorSamples.Float32Bytes(1f, 2f));
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void WriteToArray_MetadataFirstInKeyOrder()
    {
        var bytes = SafetensorsWriter.WriteToArray(
            [NamedTensor.FromValues<byte>("b", TensorDType.Bool, [1], [1])],
            new Dictionary<string, string> { ["z"] = "1", ["a"] = "2" });

        var header = Encoding.UTF8.GetString(bytes, 8, (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        Assert.StartsWith("""{"__metadata__":{"a":"2","z":"1"},"b":{"dtype":"BOOL","shape":[1],"data_offsets":[0,1]}}""", header, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteToArray_AnyInput_AlignsDataBufferTo8Bytes()
    {
        for (var nameLength = 1; nameLength <= 16; nameLength++)
        {
            var bytes = SafetensorsWriter.WriteToArray([NamedTensor.FromFloat32(new string('n', nameLength), [1], [1f])]);
            var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            Assert.Equal(0UL, headerLength % 8);
        }
    }

    [Fact]
    public void WriteToArray_SameInput_SameBytes()
    {
        Assert.Equal(
            SafetensorsWriter.WriteToArray(TensorSamples.OnePerDType()),
            SafetensorsWriter.WriteToArray(TensorSamples.OnePerDType()));
    }

    [Fact]
    public void WriteToArray_DuplicateName_Throws()
    {
        Assert.Throws<ArgumentException>(() => SafetensorsWriter.WriteToArray(
            [NamedTensor.FromFloat32("w", [1], [1f]), NamedTensor.FromFloat32("w", [1], [2f])]));
    }

    [Fact]
    public void WriteToArray_ReservedName_Throws()
    {
        Assert.Throws<ArgumentException>(() => SafetensorsWriter.WriteToArray(
            [NamedTensor.FromFloat32("__metadata__", [1], [1f])]));
    }
}
