using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Export.Checkpoints;

/// <summary>
/// TorchSharp's <c>ScalarType</c> codes (the same numbering as libtorch's <c>c10::ScalarType</c>)
/// for the dtypes a checkpoint may hold.
/// </summary>
public static class TorchSharpScalarTypes
{
    /// <summary>The code TorchSharp writes for <paramref name="dtype"/>.</summary>
    public static int ToCode(TensorDType dtype) => dtype switch
    {
        TensorDType.UInt8 => 0,
        TensorDType.Int8 => 1,
        TensorDType.Int16 => 2,
        TensorDType.Int32 => 3,
        TensorDType.Int64 => 4,
        TensorDType.Float16 => 5,
        TensorDType.Float32 => 6,
        TensorDType.Float64 => 7,
        TensorDType.Bool => 11,
        TensorDType.BFloat16 => 15,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown tensor dtype."),
    };

    /// <summary>The dtype of a code, when it is one we read (complex and quantized types are not).</summary>
    public static bool TryFromCode(ulong code, out TensorDType dtype)
    {
        TensorDType? parsed = code switch
        {
            0 => TensorDType.UInt8,
            1 => TensorDType.Int8,
            2 => TensorDType.Int16,
            3 => TensorDType.Int32,
            4 => TensorDType.Int64,
            5 => TensorDType.Float16,
            6 => TensorDType.Float32,
            7 => TensorDType.Float64,
            11 => TensorDType.Bool,
            15 => TensorDType.BFloat16,
            _ => null,
        };
        dtype = parsed.GetValueOrDefault();
        return parsed.HasValue;
    }
}
