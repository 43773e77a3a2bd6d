namespace SpeechServe.Runtime.Tensors;

/// <summary>
/// Loads a whole checkpoint into memory under a size cap, so that a reader can check every
/// length it finds against the bytes actually present before it allocates anything.
/// </summary>
public static class CheckpointBytes
{
    private const int CopyChunkBytes = 81920;

    /// <summary>Reads a file whose size is at most <paramref name="maxBytes"/>.</summary>
    /// <exception cref="CheckpointFormatException">The file is larger than the cap.</exception>
    public static byte[] ReadFile(string path, long maxBytes)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return ReadStream(stream, maxBytes);
    }

    /// <summary>Reads the rest of <paramref name="stream"/>, failing once more than <paramref name="maxBytes"/> arrive.</summary>
    /// <exception cref="CheckpointFormatException">The stream holds more than the cap.</exception>
    public static byte[] ReadStream(Stream stream, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        maxBytes = Math.Min(maxBytes, Array.MaxLength);

        if (stream.CanSeek)
        {
            var remaining = stream.Length - stream.Position;
            if (remaining > maxBytes)
            {
                throw TooLarge(remaining, maxBytes);
            }

            var bytes = new byte[remaining];
            stream.ReadExactly(bytes);
            return bytes;
        }

        using var copy = new MemoryStream();
        var chunk = new byte[CopyChunkBytes];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            if (copy.Length + read > maxBytes)
            {
                throw TooLarge(copy.Length + read, maxBytes);
            }

            copy.Write(chunk, 0, read);
        }

        return copy.ToArray();
    }

    private static CheckpointFormatException TooLarge(long size, long maxBytes) =>
        new(CheckpointFormatRules.FileSize, null, $"the file holds at least {size} bytes, more than the limit of {maxBytes}");
}
