using System.Globalization;
using System.Text;

namespace SpeechServe.Runtime.Tensors;

/// <summary>Overflow-safe arithmetic and formatting for tensor shapes.</summary>
public static class TensorShape
{
    /// <summary>
    /// Computes the number of elements of <paramref name="shape"/> without overflowing.
    /// A zero dimension makes the count zero whatever the other dimensions are.
    /// </summary>
    /// <returns>False when a dimension is negative or the product exceeds <see cref="long.MaxValue"/>.</returns>
    public static bool TryGetElementCount(ReadOnlySpan<long> shape, out long count)
    {
        count = 0;
        foreach (var dim in shape)
        {
            if (dim < 0)
            {
                return false;
            }

            if (dim == 0)
            {
                return true;
            }
        }

        long product = 1;
        foreach (var dim in shape)
        {
            if (product > long.MaxValue / dim)
            {
                return false;
            }

            product *= dim;
        }

        count = product;
        return true;
    }

    /// <summary>
    /// Computes the byte size of a tensor of <paramref name="shape"/> and <paramref name="dtype"/>
    /// without overflowing.
    /// </summary>
    /// <returns>False when the shape is invalid or the byte size exceeds <see cref="long.MaxValue"/>.</returns>
    public static bool TryGetByteCount(ReadOnlySpan<long> shape, TensorDType dtype, out long byteCount)
    {
        byteCount = 0;
        if (!TryGetElementCount(shape, out var count))
        {
            return false;
        }

        var size = dtype.ElementSize();
        if (count > long.MaxValue / size)
        {
            return false;
        }

        byteCount = count * size;
        return true;
    }

    /// <summary>Formats a shape as <c>[192,80,2]</c> (no spaces), the form used in error messages.</summary>
    public static string Format(ReadOnlySpan<long> shape)
    {
        var builder = new StringBuilder("[");
        for (var i = 0; i < shape.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            builder.Append(shape[i].ToString(CultureInfo.InvariantCulture));
        }

        return builder.Append(']').ToString();
    }
}
