namespace SpeechServe.Runtime.Tensors;

/// <summary>The dtype names of the safetensors header, and which <see cref="TensorDType"/> each is.</summary>
public static class SafetensorsDTypes
{
    /// <summary>The header name of <paramref name="dtype"/>, e.g. <c>F32</c>.</summary>
    public static string ToName(TensorDType dtype) => dtype switch
    {
        TensorDType.UInt8 => "U8",
        TensorDType.Int8 => "I8",
        TensorDType.Int16 => "I16",
        TensorDType.Int32 => "I32",
        TensorDType.Int64 => "I64",
        TensorDType.Float16 => "F16",
        TensorDType.Float32 => "F32",
        TensorDType.Float64 => "F64",
        TensorDType.Bool => "BOOL",
        TensorDType.BFloat16 => "BF16",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown tensor dtype."),
    };

    /// <summary>Parses a header dtype name; the match is exact (case-sensitive), as in the format.</summary>
    public static bool TryParse(string name, out TensorDType dtype)
    {
        TensorDType? parsed = name switch
        {
            "U8" => TensorDType.UInt8,
            "I8" => TensorDType.Int8,
            "I16" => TensorDType.Int16,
            "I32" => TensorDType.Int32,
            "I64" => TensorDType.Int64,
            "F16" => TensorDType.Float16,
            "F32" => TensorDType.Float32,
            "F64" => TensorDType.Float64,
            "BOOL" => TensorDType.Bool,
            "BF16" => TensorDType.BFloat16,
            _ => null,
        };
        dtype = parsed.GetValueOrDefault();
        return parsed.HasValue;
    }
}
