using System.Buffers.Binary;

namespace SpeechServe.Runtime.Tensors;

/// <summary>Widening of the stored floating-point dtypes to float32, and the finite-value scan.</summary>
internal static class FloatConversion
{
    public static void ToFloat32(TensorDType dtype, ReadOnlySpan<byte> source, Span<float> destination)
    {
        switch (dtype)
        {
            case TensorDType.Float32:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(i * 4)..]);
                }

                break;
            case TensorDType.Float64:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(source[(i * 8)..]);
                }

                break;
            case TensorDType.Float16:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(source[(i * 2)..]);
                }

                break;
            case TensorDType.BFloat16:
                for (var i = 0; i < destination.Length; i++)
                {
                    // bfloat16 is the high half of a binary32, so widening is a shift.
                    var bits = BinaryPrimitives.ReadUInt16LittleEndian(source[(i * 2)..]);
                    destination[i] = BitConverter.Int32BitsToSingle(bits << 16);
                }

                break;
            default:
                throw new InvalidOperationException($"{dtype} is not a floating-point dtype.");
        }
    }

    /// <summary>Index of the first NaN or infinity, or -1; non-float dtypes have none.</summary>
    public static long IndexOfNonFinite(TensorDType dtype, ReadOnlySpan<byte> source)
    {
        var size = dtype.ElementSize();
        var count = source.Length / size;
        for (var i = 0; i < count; i++)
        {
            var element = source.Slice(i * size, size);
            var finite = dtype switch
            {
                TensorDType.Float32 => float.IsFinite(BinaryPrimitives.ReadSingleLittleEndian(element)),
                TensorDType.Float64 => double.IsFinite(BinaryPrimitives.ReadDoubleLittleEndian(element)),
                TensorDType.Float16 => Half.IsFinite(BinaryPrimitives.ReadHalfLittleEndian(element)),
                TensorDType.BFloat16 => (BinaryPrimitives.ReadUInt16LittleEndian(element) & 0x7F80) != 0x7F80,
                _ => true,
            };
            if (!finite)
            {
                return i;
            }
        }

        return -1;
    }
}
