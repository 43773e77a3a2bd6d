using System.Text;
using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Export.Checkpoints;

/// <summary>
/// Forward-only reader over a TorchSharp checkpoint held in memory. Every length is checked
/// against the bytes that remain before anything is sliced or allocated.
/// </summary>
internal struct TorchSharpCursor(ReadOnlyMemory<byte> file)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlyMemory<byte> _file = file;

    public int Position { get; private set; }

    public readonly int Remaining => _file.Length - Position;

    /// <summary>Reads one LEB128 value that must fit in a non-negative <see cref="long"/>.</summary>
    public long ReadVarint(string what, string? tensorName)
    {
        var start = Position;
        switch (Leb128.TryRead(_file.Span[Position..], out var value, out var length))
        {
            case Leb128.Status.Truncated:
                throw new CheckpointFormatException(
                    CheckpointFormatRules.Varint, tensorName, $"the {what} at byte {start} is a truncated varint (the file ends)");
            case Leb128.Status.Overflow:
                throw new CheckpointFormatException(
                    CheckpointFormatRules.Varint, tensorName, $"the {what} at byte {start} is a varint longer than 64 bits");
        }

        if (value > long.MaxValue)
        {
            throw new CheckpointFormatException(
                CheckpointFormatRules.Varint, tensorName, $"the {what} at byte {start} is {value}, beyond the signed 64-bit range");
        }

        Position += length;
        return (long)value;
    }

    /// <summary>Reads <paramref name="count"/> bytes of UTF-8 as a string, rejecting invalid sequences.</summary>
    public string ReadUtf8(int count, string entry)
    {
        var start = Position;
        var bytes = Take(count);
        try
        {
            return StrictUtf8.GetString(bytes.Span);
        }
        catch (DecoderFallbackException exception)
        {
            throw new CheckpointFormatException(
                CheckpointFormatRules.Name, null, $"{entry}: the name at byte {start} is not valid UTF-8", exception);
        }
    }

    /// <summary>Slices the next <paramref name="count"/> bytes; the caller has checked <see cref="Remaining"/>.</summary>
    public ReadOnlyMemory<byte> Take(int count)
    {
        var slice = _file.Slice(Position, count);
        Position += count;
        return slice;
    }
}
