namespace SpeechServe.Runtime.Tensors;

/// <summary>Size and kind of each <see cref="TensorDType"/>.</summary>
public static class TensorDTypeExtensions
{
    /// <summary>Bytes per element.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined dtype.</exception>
    public static int ElementSize(this TensorDType dtype) => dtype switch
    {
        TensorDType.UInt8 or TensorDType.Int8 or TensorDType.Bool => 1,
        TensorDType.Int16 or TensorDType.Float16 or TensorDType.BFloat16 => 2,
        TensorDType.Int32 or TensorDType.Float32 => 4,
        TensorDType.Int64 or TensorDType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown tensor dtype."),
    };

    /// <summary>True for the floating-point dtypes (Float16, BFloat16, Float32, Float64).</summary>
    public static bool IsFloatingPoint(this TensorDType dtype) =>
        dtype is TensorDType.Float16 or TensorDType.BFloat16 or TensorDType.Float32 or TensorDType.Float64;
}
