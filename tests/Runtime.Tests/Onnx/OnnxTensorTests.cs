using SpeechServe.Runtime.Onnx;
using SpeechServe.Runtime.Tests.Fixtures;

namespace SpeechServe.Runtime.Tests.Onnx;

[Collection(OnnxTestGroup.Name)]
public sealed class OnnxTensorTests
{
    [Fact]
    public void Create_FloatArray_ReportsTypeShapeAndSharesTheArray()
    {
        var data = new float[] { 1, 2, 3, 4, 5, 6 };
        using var tensor = OnnxTensor.Create(data, 2, 3);

        Assert.Equal(TensorElementType.Float, tensor.ElementType);
        Assert.Equal([2L, 3L], tensor.Shape.ToArray());
        Assert.Equal(6, tensor.ElementCount);
        data[5] = 42;
        Assert.Equal(42, tensor.GetData<float>()[5]);
    }

    [Fact]
    public void Create_MemorySlice_ViewsOnlyThatSlice()
    {
        var data = new long[] { 9, 1, 2, 3, 9 };
        using var tensor = OnnxTensor.Create(data.AsMemory(1, 3), 3);

        Assert.Equal(TensorElementType.Int64, tensor.ElementType);
        Assert.Equal([1L, 2L, 3L], tensor.ToArray<long>());
    }

    [Fact]
    public void Create_Scalar_HasRankZeroAndOneElement()
    {
        using var tensor = OnnxTensor.Create<int>([7]);

        Assert.Equal(0, tensor.Shape.Length);
        Assert.Equal(1, tensor.ElementCount);
    }

    [Fact]
    public void Create_ShapeDisagreesWithLength_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => OnnxTensor.Create(new float[5], 2, 3));
    }

    [Fact]
    public void Create_NegativeDimension_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => OnnxTensor.Create(new float[2], -1, 2));
    }

    [Fact]
    public void Dispose_CalledTwice_IsHarmlessAndDataIsNoLongerReachable()
    {
        var tensor = OnnxTensor.Create(new byte[] { 1, 2 }, 2);

        tensor.Dispose();
        tensor.Dispose();

        Assert.True(tensor.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => tensor.GetData<byte>());
    }

    [Fact]
    public void ElementTypes_Of_MapsEveryBoundClrType()
    {
        Assert.Equal(TensorElementType.Float, TensorElementTypes.Of<float>());
        Assert.Equal(TensorElementType.Int64, TensorElementTypes.Of<long>());
        Assert.Equal(TensorElementType.Int32, TensorElementTypes.Of<int>());
        Assert.Equal(TensorElementType.Int8, TensorElementTypes.Of<sbyte>());
        Assert.Equal(TensorElementType.UInt8, TensorElementTypes.Of<byte>());
        Assert.Equal(TensorElementType.Bool, TensorElementTypes.Of<bool>());
        Assert.Equal(TensorElementType.Float16, TensorElementTypes.Of<Half>());
        Assert.Throws<NotSupportedException>(() => TensorElementTypes.Of<decimal>());
    }
}
