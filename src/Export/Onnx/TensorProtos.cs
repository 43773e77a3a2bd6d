using System.Runtime.InteropServices;
using Google.Protobuf;
using SpeechServe.Export.Onnx.Proto;

namespace SpeechServe.Export.Onnx;

/// <summary>
/// Builds dense tensors. Elements go into <c>raw_data</c> as fixed-width little-endian values in
/// row-major order, the form that can later be moved to an external data file unchanged.
/// </summary>
public static class TensorProtos
{
    /// <summary>A float tensor.</summary>
    /// <param name="name">Tensor name; for an initializer, the value name nodes refer to.</param>
    /// <param name="values">Elements in row-major order.</param>
    /// <param name="dims">Shape; empty for a scalar.</param>
    public static TensorProto FromFloats(string name, ReadOnlySpan<float> values, ReadOnlySpan<long> dims) =>
        Create(name, ElementType.Float, MemoryMarshal.AsBytes(values), values.Length, dims);

    /// <summary>A 64-bit integer tensor, e.g. a shape, axes or indices.</summary>
    /// <param name="name">Tensor name; for an initializer, the value name nodes refer to.</param>
    /// <param name="values">Elements in row-major order.</param>
    /// <param name="dims">Shape; empty for a scalar.</param>
    public static TensorProto FromInt64s(string name, ReadOnlySpan<long> values, ReadOnlySpan<long> dims) =>
        Create(name, ElementType.Int64, MemoryMarshal.AsBytes(values), values.Length, dims);

    /// <summary>The number of elements a shape holds.</summary>
    /// <param name="dims">The shape; empty for a scalar (one element).</param>
    public static long ElementCount(ReadOnlySpan<long> dims)
    {
        long count = 1;
        foreach (var dim in dims)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(dim, nameof(dims));
            count = checked(count * dim);
        }

        return count;
    }

    private static TensorProto Create(string name, ElementType type, ReadOnlySpan<byte> bytes, int count, ReadOnlySpan<long> dims)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        // raw_data is little-endian by definition; the memory we copy from is only that on a little-endian machine.
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Writing ONNX tensors requires a little-endian machine.");
        }

        var expected = ElementCount(dims);
        if (expected != count)
        {
            throw new ArgumentException(
                $"Tensor '{name}' has {count} elements but shape [{string.Join(", ", dims.ToArray())}] holds {expected}.",
                nameof(dims));
        }

        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        foreach (var dim in dims)
        {
            tensor.Dims.Add(dim);
        }

        return tensor;
    }
}
