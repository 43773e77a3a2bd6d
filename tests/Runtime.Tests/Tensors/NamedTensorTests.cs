using SpeechServe.Runtime.Tensors;
using SpeechServe.Tests.Support;

namespace SpeechServe.Runtime.Tests.Tensors;

public class NamedTensorTests
{
    [Fact]
    public void Constructor_ByteLengthMismatch_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(
            () => new NamedTensor("w", TensorDType.Float32, [2, 3], new byte[20]));
        Assert.Contains("needs 24 bytes, got 20", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_EmptyName_Throws()
    {
        Assert.Throws<ArgumentException>(() => new NamedTensor("", TensorDType.UInt8, [1], new byte[1]));
    }

    [Fact]
    public void ToFloat32_Float16_Widens()
    {
        var tensor = NamedTensor.FromValues<Half>("h", TensorDType.Float16, [3], [(Half)0.5f, (Half)(-3f), Half.MaxValue]);
        Assert.Equal([0.5f, -3f, 65504f], tensor.ToFloat32());
    }

    [Fact]
    public void ToFloat32_BFloat16_Widens()
    {
        var tensor = NamedTensor.FromValues<ushort>(
            "b", TensorDType.BFloat16, [2], [TensorSamples.BFloat16Bits(1.5f), TensorSamples.BFloat16Bits(-1024f)]);
        Assert.Equal([1.5f, -1024f], tensor.ToFloat32());
    }

    [Fact]
    public void ToFloat32_Float64_Narrows()
    {
        var tensor = NamedTensor.FromValues<double>("d", TensorDType.Float64, [2], [0.25, 1e40]);
        var floats = tensor.ToFloat32();
        Assert.Equal(0.25f, floats[0]);
        Assert.True(float.IsPositiveInfinity(floats[1]));
    }

    [Fact]
    public void ToFloat32_Float32_CopiesValues()
    {
        var tensor = new NamedTensor("f", TensorDType.Float32, [2], TensorSamples.Float32Bytes(1f, -2f));
        Assert.Equal([1f, -2f], tensor.ToFloat32());
    }

    [Fact]
    public void ToFloat32_IntegerDType_Throws()
    {
        var tensor = NamedTensor.FromValues<long>("n", TensorDType.Int64, [1], [7]);
        var ex = Assert.Throws<InvalidOperationException>(() => tensor.ToFloat32());
        Assert.Contains("'n' is Int64", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AsSpan_MatchingType_ReadsWithoutCopy()
    {
        var tensor = NamedTensor.FromValues<int>("i", TensorDType.Int32, [3], [1, -2, 3]);
        Assert.Equal([1, -2, 3], tensor.AsSpan<int>().ToArray());
    }

    [Fact]
    public void AsSpan_MisalignedSlice_ReadsValues()
    {
        var bytes = new byte[9];
        TensorSamples.Float32Bytes(1.25f, -8f).CopyTo(bytes, 1);
        var tensor = new NamedTensor("f", TensorDType.Float32, [2], bytes.AsMemory(1));
        Assert.Equal([1.25f, -8f], tensor.AsSpan<float>().ToArray());
    }

    [Fact]
    public void AsSpan_WrongType_Throws()
    {
        var tensor = NamedTensor.FromFloat32("f", [1], [1f]);
        Assert.Throws<InvalidOperationException>(() => tensor.AsSpan<int>().Length);
    }

    [Fact]
    public void IndexOfNonFinite_NaNInBFloat16_FindsIt()
    {
        var tensor = NamedTensor.FromValues<ushort>(
            "b", TensorDType.BFloat16, [3], [TensorSamples.BFloat16Bits(1f), TensorSamples.BFloat16Bits(2f), 0x7FC0]);
        Assert.Equal(2, tensor.IndexOfNonFinite());
    }

    [Fact]
    public void IndexOfNonFinite_AllFinite_IsMinusOne()
    {
        Assert.Equal(-1, NamedTensor.FromFloat32("f", [2], [float.MaxValue, float.MinValue]).IndexOfNonFinite());
    }

    [Fact]
    public void Shape_Scalar_IsEmptyWithOneElement()
    {
        var tensor = NamedTensor.FromFloat32("s", [], [3f]);
        Assert.Equal(0, tensor.Rank);
        Assert.Equal(1, tensor.ElementCount);
    }
}
