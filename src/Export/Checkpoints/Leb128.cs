namespace SpeechServe.Export.Checkpoints;

/// <summary>
/// Unsigned LEB128: seven bits per byte, least significant group first, high bit set on every
/// byte but the last. The same encoding as .NET's <c>BinaryWriter.Write7BitEncodedInt64</c>.
/// </summary>
internal static class Leb128
{
    /// <summary>A 64-bit value needs at most ten bytes.</summary>
    public const int MaxBytes = 10;

    public enum Status
    {
        Ok,
        Truncated,
        Overflow,
    }

    /// <summary>Decodes one value from the start of <paramref name="source"/>.</summary>
    public static Status TryRead(ReadOnlySpan<byte> source, out ulong value, out int length)
    {
        value = 0;
        length = 0;
        for (var i = 0; i < MaxBytes; i++)
        {
            if (i >= source.Length)
            {
                return Status.Truncated;
            }

            var b = source[i];

            // The tenth byte carries bit 63 only.
            if (i == MaxBytes - 1 && b > 1)
            {
                return Status.Overflow;
            }

            value |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                length = i + 1;
                return Status.Ok;
            }
        }

        return Status.Overflow;
    }

    /// <summary>Encodes <paramref name="value"/> into <paramref name="destination"/>, returning the bytes used.</summary>
    public static int Write(Span<byte> destination, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }
}
