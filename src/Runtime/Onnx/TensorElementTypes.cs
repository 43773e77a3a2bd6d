namespace SpeechServe.Runtime.Onnx;

/// <summary>Maps CLR element types to <see cref="TensorElementType"/> and back.</summary>
public static class TensorElementTypes
{
    /// <summary>The tensor element type stored as <typeparamref name="T"/>.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> has no tensor element type.</exception>
    public static TensorElementType Of<T>()
        where T : unmanaged
    {
        // Each comparison is a JIT-time constant, so a call folds to its one answer.
        if (typeof(T) == typeof(float)) { return TensorElementType.Float; }
        if (typeof(T) == typeof(long)) { return TensorElementType.Int64; }
        if (typeof(T) == typeof(int)) { return TensorElementType.Int32; }
        if (typeof(T) == typeof(sbyte)) { return TensorElementType.Int8; }
        if (typeof(T) == typeof(byte)) { return TensorElementType.UInt8; }
        if (typeof(T) == typeof(bool)) { return TensorElementType.Bool; }
        if (typeof(T) == typeof(double)) { return TensorElementType.Double; }
        if (typeof(T) == typeof(Half)) { return TensorElementType.Float16; }
        if (typeof(T) == typeof(short)) { return TensorElementType.Int16; }
        if (typeof(T) == typeof(ushort)) { return TensorElementType.UInt16; }
        if (typeof(T) == typeof(uint)) { return TensorElementType.UInt32; }
        if (typeof(T) == typeof(ulong)) { return TensorElementType.UInt64; }
        throw new NotSupportedException($"{typeof(T).Name} is not a supported tensor element type.");
    }

    /// <summary>Size in bytes of one element of <paramref name="type"/>, or 0 when it has no fixed size.</summary>
    public static int SizeOf(TensorElementType type) => type switch
    {
        TensorElementType.UInt8 or TensorElementType.Int8 or TensorElementType.Bool => 1,
        TensorElementType.UInt16 or TensorElementType.Int16 or TensorElementType.Float16
            or TensorElementType.BFloat16 => 2,
        TensorElementType.Float or TensorElementType.Int32 or TensorElementType.UInt32 => 4,
        TensorElementType.Int64 or TensorElementType.UInt64 or TensorElementType.Double
            or TensorElementType.Complex64 => 8,
        TensorElementType.Complex128 => 16,
        _ => 0,
    };
}
