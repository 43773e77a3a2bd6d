using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Runtime.Tests.Tensors;

public class TensorShapeTests
{
    [Fact]
    public void TryGetElementCount_Scalar_IsOne()
    {
        Assert.True(TensorShape.TryGetElementCount([], out var count));
        Assert.Equal(1, count);
    }

    [Fact]
    public void TryGetElementCount_ZeroDimensionWithHugeOthers_IsZero()
    {
        Assert.True(TensorShape.TryGetElementCount([long.MaxValue, long.MaxValue, 0], out var count));
        Assert.Equal(0, count);
    }

    [Fact]
    public void TryGetElementCount_ProductOverflows_ReturnsFalse()
    {
        Assert.False(TensorShape.TryGetElementCount([1L << 32, 1L << 32], out _));
    }

    [Fact]
    public void TryGetByteCount_ElementsFitButBytesOverflow_ReturnsFalse()
    {
        Assert.True(TensorShape.TryGetElementCount([1L << 61], out _));
        Assert.False(TensorShape.TryGetByteCount([1L << 61], TensorDType.Float64, out _));
    }

    [Fact]
    public void TryGetElementCount_NegativeDimension_ReturnsFalse()
    {
        Assert.False(TensorShape.TryGetElementCount([3, -1], out _));
    }

    [Fact]
    public void Format_Shape_HasNoSpaces()
    {
        Assert.Equal("[192,191]", TensorShape.Format([192, 191]));
        Assert.Equal("[]", TensorShape.Format([]));
    }
}
