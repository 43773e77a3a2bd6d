using System.Buffers.Binary;
using System.Text;

namespace SpeechServe.Runtime.Tests.Tensors;

/// <summary>Hand-assembles safetensors files, including malformed ones.</summary>
internal static class SafetensorsBytes
{
    /// <summary>Length prefix + <paramref name="headerJson"/> as UTF-8 + <paramref name="data"/>.</summary>
    public static byte[] Build(string headerJson, byte[] data) => Build(Encoding.UTF8.GetBytes(headerJson), data);

    /// <summary>Length prefix + raw header bytes + <paramref name="data"/>.</summary>
    public static byte[] Build(byte[] header, byte[] data) => WithLength((ulong)header.Length, [.. header, .. data]);

    /// <summary>An explicit (possibly lying) length prefix followed by <paramref name="rest"/>.</summary>
    public static byte[] WithLength(ulong headerLength, byte[] rest)
    {
        var bytes = new byte[8 + rest.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, headerLength);
        rest.CopyTo(bytes, 8);
        return bytes;
    }
}
