using SpeechServe.Export.Checkpoints;
using SpeechServe.Runtime.Tensors;
using SpeechServe.Tests.Support;

namespace SpeechServe.Export.Tests.Checkpoints;

public class TorchSharpCheckpointLayoutTests
{
    [Fact]
    public void Leb_KnownValues_MatchTheEncoding()
    {
        Assert.Equal([0x00], TorchSharpBytes.Leb(0));
        Assert.Equal([0x7F], TorchSharpBytes.Leb(127));
        Assert.Equal([0x80, 0x01], TorchSharpBytes.Leb(128));
        Assert.Equal([0xAC, 0x02], TorchSharpBytes.Leb(300));
    }

    [Fact]
    public void Read_HandBuiltFile_DecodesMultiByteDimsAndLongName()
    {
        var longName = "adapters.telephony." + new string('x', 181); // 200 bytes: a two-byte length
        var weights = Enumerable.Range(0, 300).Select(i => i * 0.5f).ToArray();
        var bytes = new TorchSharpBytes()
            .Varint(2)
            .Name(longName).Header(6, 300).Raw(TensorSamples.Float32Bytes(weights))
            .Name("n").Header(4).Raw(7, 0, 0, 0, 0, 0, 0, 0)
            .ToArray();
        Assert.Equal([0xC8, 0x01], bytes[1..3]);
        Assert.Equal([0x06, 0x01, 0xAC, 0x02], bytes[203..207]);

        var read = TorchSharpCheckpointReader.Read(bytes);

        Assert.Equal([longName, "n"], read.Names);
        Assert.Equal(TensorDType.Float32, read[0].DType);
        Assert.Equal([300L], read[0].Shape.ToArray());
        Assert.Equal(weights, read[0].ToFloat32());
        Assert.Equal(TensorDType.Int64, read[1].DType);
        Assert.Equal(0, read[1].Rank);
        Assert.Equal(7L, read[1].AsSpan<long>()[0]);
    }

    [Fact]
    public void Read_OverLongButValidVarints_AreAccepted()
    {
        // TorchSharp never writes padded varints, but they decode to the same value.
        var bytes = new TorchSharpBytes().Raw(0x81, 0x00).Name("b").Raw(0x80, 0x80, 0x00).Raw(0x01, 0x02).Raw(1, 0).ToArray();
        var read = TorchSharpCheckpointReader.Read(bytes);
        Assert.Equal(TensorDType.UInt8, read["b"].DType);
        Assert.Equal([2L], read["b"].Shape.ToArray());
    }

    [Fact]
    public void Write_MatchesHandBuiltBytes()
    {
        var longName = new string('w', 130);
        var tensors = new[]
        {
            NamedTensor.FromFloat32(longName, [1, 300], new float[300]),
            NamedTensor.FromValues<ushort>("bf", TensorDType.BFloat16, [2], [0x3F80, 0xC000]),
            NamedTensor.FromValues<byte>("mask", TensorDType.Bool, [], [1]),
        };
        var expected = new TorchSharpBytes()
            .Varint(3)
            .Name(longName).Header(6, 1, 300).Zeros(1200)
            .Name("bf").Header(15, 2).Raw(0x80, 0x3F, 0x00, 0xC0)
            .Name("mask").Header(11).Raw(1)
            .ToArray();

        Assert.Equal(expected, TorchSharpCheckpointWriter.WriteToArray(tensors));
    }

    [Theory]
    [InlineData(0, TensorDType.UInt8)]
    [InlineData(1, TensorDType.Int8)]
    [InlineData(2, TensorDType.Int16)]
    [InlineData(3, TensorDType.Int32)]
    [InlineData(4, TensorDType.Int64)]
    [InlineData(5, TensorDType.Float16)]
    [InlineData(6, TensorDType.Float32)]
    [InlineData(7, TensorDType.Float64)]
    [InlineData(11, TensorDType.Bool)]
    [InlineData(15, TensorDType.BFloat16)]
    public void ScalarTypeCodes_MatchTorchSharp(int code, TensorDType dtype)
    {
        Assert.Equal(code, TorchSharpScalarTypes.ToCode(dtype));
        Assert.True(TorchSharpScalarTypes.TryFromCode((ulong)code, out var parsed));
        Assert.Equal(dtype, parsed);
    }
}
