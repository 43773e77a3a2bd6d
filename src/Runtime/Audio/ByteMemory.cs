namespace SpeechServe.Runtime.Audio;

/// <summary>Bytes in memory as the read-only <see cref="Stream"/> that NAudio's readers take.</summary>
internal static class ByteMemory
{
    /// <summary>A stream over <paramref name="bytes"/>, without a copy when they live in an array.</summary>
    public static MemoryStream AsStream(ReadOnlyMemory<byte> bytes) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(bytes, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(bytes.ToArray(), writable: false);
}
