using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SpeechServe.Runtime.Tensors;

/// <summary>
/// One named tensor as stored in a checkpoint: dtype, shape and the raw, contiguous,
/// row-major, little-endian element bytes. Immutable; the bytes may be a slice of the
/// buffer the checkpoint was read from, which stays alive as long as the tensor does.
/// </summary>
public sealed class NamedTensor
{
    /// <summary>Creates a tensor over existing bytes, checking that they match the shape.</summary>
    /// <exception cref="ArgumentException">The name is empty, a dimension is negative, or the byte length does not match.</exception>
    public NamedTensor(string name, TensorDType dtype, ReadOnlySpan<long> shape, ReadOnlyMemory<byte> data)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!TensorShape.TryGetByteCount(shape, dtype, out var byteCount))
        {
            throw new ArgumentException(
                $"Tensor '{name}': shape {TensorShape.Format(shape)} is invalid or too large.", nameof(shape));
        }

        if (byteCount != data.Length)
        {
            throw new ArgumentException(
                $"Tensor '{name}': {dtype} {TensorShape.Format(shape)} needs {byteCount} bytes, got {data.Length}.",
                nameof(data));
        }

        Name = name;
        DType = dtype;
        Shape = ImmutableArray.Create(shape);
        ElementCount = byteCount / dtype.ElementSize();
        Data = data;
    }

    /// <summary>State-dict name, e.g. <c>layers.3.attn.q.weight</c>.</summary>
    public string Name { get; }

    /// <summary>Element type of <see cref="Data"/>.</summary>
    public TensorDType DType { get; }

    /// <summary>Dimensions, outermost first; empty for a scalar.</summary>
    public ImmutableArray<long> Shape { get; }

    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Length;

    /// <summary>Product of the dimensions (1 for a scalar).</summary>
    public long ElementCount { get; }

    /// <summary>Raw element bytes, little-endian, row-major.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Creates a float32 tensor holding a copy of <paramref name="values"/>.</summary>
    public static NamedTensor FromFloat32(string name, ReadOnlySpan<long> shape, ReadOnlySpan<float> values) =>
        FromValues(name, TensorDType.Float32, shape, values);

    /// <summary>
    /// Creates a tensor holding a copy of <paramref name="values"/>, whose .NET type must store
    /// <paramref name="dtype"/> (see <see cref="AsSpan{T}"/>).
    /// </summary>
    public static NamedTensor FromValues<T>(string name, TensorDType dtype, ReadOnlySpan<long> shape, ReadOnlySpan<T> values)
        where T : unmanaged
    {
        EnsureLittleEndian();
        EnsureStorageType<T>(name, dtype);
        return new NamedTensor(name, dtype, shape, MemoryMarshal.AsBytes(values).ToArray());
    }

    /// <summary>
    /// The elements as <typeparamref name="T"/> without copying: float for Float32, double for
    /// Float64, Half for Float16, ushort (raw bits) for BFloat16 or Float16, byte for UInt8 or Bool,
    /// sbyte, short, int, long for the signed integers.
    /// </summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> does not store this dtype.</exception>
    public ReadOnlySpan<T> AsSpan<T>()
        where T : unmanaged
    {
        EnsureLittleEndian();
        EnsureStorageType<T>(Name, DType);

        // Checkpoint data need not be aligned; x64 and Arm64 read misaligned elements correctly.
        return MemoryMarshal.Cast<byte, T>(Data.Span);
    }

    /// <summary>
    /// The elements widened (or for Float64 narrowed) to a new float32 array: the form the
    /// exporter works in for Float16, BFloat16, Float32 and Float64 sources.
    /// </summary>
    /// <exception cref="InvalidOperationException">The dtype is not floating point.</exception>
    public float[] ToFloat32()
    {
        if (!DType.IsFloatingPoint())
        {
            throw new InvalidOperationException($"Tensor '{Name}' is {DType}, not a floating-point dtype.");
        }

        var result = new float[ElementCount];
        FloatConversion.ToFloat32(DType, Data.Span, result);
        return result;
    }

    /// <summary>Index of the first NaN or infinite element, or -1 when all are finite (or the dtype is not floating point).</summary>
    public long IndexOfNonFinite() => FloatConversion.IndexOfNonFinite(DType, Data.Span);

    /// <summary>The same dtype, shape and bytes under another name.</summary>
    public NamedTensor WithName(string name) => new(name, DType, Shape.AsSpan(), Data);

    /// <summary>Short description, e.g. <c>Float32 [192,80,2]</c>.</summary>
    public override string ToString() => $"{Name}: {DType} {TensorShape.Format(Shape.AsSpan())}";

    private static void EnsureStorageType<T>(string name, TensorDType dtype)
        where T : unmanaged
    {
        var type = typeof(T);
        var matches = dtype switch
        {
            TensorDType.Float32 => type == typeof(float),
            TensorDType.Float64 => type == typeof(double),
            TensorDType.Float16 => type == typeof(Half) || type == typeof(ushort),
            TensorDType.BFloat16 => type == typeof(ushort),
            TensorDType.UInt8 or TensorDType.Bool => type == typeof(byte),
            TensorDType.Int8 => type == typeof(sbyte),
            TensorDType.Int16 => type == typeof(short),
            TensorDType.Int32 => type == typeof(int),
            TensorDType.Int64 => type == typeof(long),
            _ => false,
        };
        if (!matches || Unsafe.SizeOf<T>() != dtype.ElementSize())
        {
            throw new InvalidOperationException($"Tensor '{name}' is {dtype}; {type.Name} does not store it.");
        }
    }

    private static void EnsureLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Checkpoint tensors are little-endian; this platform is not.");
        }
    }
}
