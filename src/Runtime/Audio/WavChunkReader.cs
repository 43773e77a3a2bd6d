using System.Buffers.Binary;

namespace SpeechServe.Runtime.Audio;

/// <summary>
/// Walks the chunks of a RIFF/WAVE file and returns the format chunk and the bytes of the data chunk.
/// Unknown chunks (LIST, fact, cue, ...) are skipped; after an odd-sized chunk a zero pad byte is skipped and
/// any other byte taken as the next chunk (NAudio's rule, which tolerates writers that omit the pad). A data size
/// of 0xFFFFFFFF (or 0 in a file whose RIFF size is also unknown) means "until the end of the input", as streaming
/// writers produce; any other size larger than the input is rejected as a lying header.
/// </summary>
/// <remarks>
/// Kept instead of NAudio's <see cref="NAudio.Wave.WaveFileReader"/>, which is lenient where an upload must be
/// refused with a precise reason: it cuts a data chunk (or RIFF size) longer than the input to what is there, so a
/// truncated upload would be transcribed in part instead of refused; it stops at a chunk whose size overruns the
/// input and then reports "no data chunk"; it cannot read a streamed file whose RIFF and data sizes are 0; and its
/// exceptions (FormatException, InvalidDataException, EndOfStreamException) do not say which rule was broken.
/// The format chunk itself is read by NAudio (<see cref="WavFormatParser"/>).
/// </remarks>
internal static class WavChunkReader
{
    private const uint UnknownSize = 0xFFFFFFFF;

    public static (WavFormat Format, int DataOffset, int DataLength) Read(ReadOnlyMemory<byte> file, AudioLimits limits)
    {
        var input = file.Span;
        if (input.IsEmpty)
        {
            throw new AudioFormatException(AudioErrorCode.EmptyAudio, "The audio file is empty. Send a non-empty WAV file.");
        }

        if (input.Length < 12)
        {
            throw new AudioFormatException(
                AudioErrorCode.TruncatedHeader,
                $"The WAV file ends after {input.Length} bytes, inside its 12-byte RIFF header. Send the complete file.");
        }

        if (!input[..4].SequenceEqual("RIFF"u8) || !input.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            throw new AudioFormatException(
                AudioErrorCode.NotRiffWave,
                "The file is not a RIFF/WAVE file (it must start with 'RIFF' and have 'WAVE' at byte 8).");
        }

        var riffSize = BinaryPrimitives.ReadUInt32LittleEndian(input[4..]);
        var riffSizeUnknown = riffSize is 0 or UnknownSize;
        if (!riffSizeUnknown && (long)riffSize + 8 > input.Length)
        {
            throw new AudioFormatException(
                AudioErrorCode.ChunkSizeExceedsInput,
                $"The RIFF header declares {(long)riffSize + 8} bytes but the file has {input.Length}. The file is truncated or its header is wrong; send the complete file.");
        }

        WavFormat? format = null;
        var position = 12;
        while (true)
        {
            if (position + 8 > input.Length)
            {
                if (format is null)
                {
                    throw new AudioFormatException(
                        position >= input.Length ? AudioErrorCode.MissingFormatChunk : AudioErrorCode.TruncatedHeader,
                        position >= input.Length
                            ? "The WAV file has no 'fmt ' chunk. Re-export it with a standard WAV writer."
                            : "The WAV file ends inside a chunk header before its 'fmt ' chunk. Send the complete file.");
                }

                throw new AudioFormatException(
                    position >= input.Length ? AudioErrorCode.MissingDataChunk : AudioErrorCode.TruncatedHeader,
                    position >= input.Length
                        ? "The WAV file has no 'data' chunk. Re-export it with a standard WAV writer."
                        : "The WAV file ends inside a chunk header before its 'data' chunk. Send the complete file.");
            }

            var id = input.Slice(position, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(input[(position + 4)..]);
            var body = position + 8;
            var available = input.Length - body;

            if (id.SequenceEqual("data"u8))
            {
                if (format is null)
                {
                    throw new AudioFormatException(
                        AudioErrorCode.MissingFormatChunk,
                        "The WAV 'data' chunk comes before any 'fmt ' chunk. Re-export the file with a standard WAV writer.");
                }

                long length = size;
                if (size == UnknownSize || (size == 0 && riffSizeUnknown && available > 0))
                {
                    length = available;
                }
                else if (size > available)
                {
                    throw new AudioFormatException(
                        AudioErrorCode.ChunkSizeExceedsInput,
                        $"The WAV 'data' chunk declares {size} bytes but only {available} follow. The file is truncated or its header is wrong; send the complete file.");
                }

                var fmt = format.Value;
                var whole = length - (length % fmt.BlockAlign);
                return (fmt, body, (int)whole);
            }

            if (size > available)
            {
                throw new AudioFormatException(
                    AudioErrorCode.ChunkSizeExceedsInput,
                    $"The WAV '{ChunkName(id)}' chunk declares {size} bytes but only {available} follow. The file is truncated or its header is wrong; send the complete file.");
            }

            if (id.SequenceEqual("fmt "u8))
            {
                format = WavFormatParser.Parse(file.Slice(body, (int)size), limits);
            }

            position = NextChunk(input, body, (int)size);
        }
    }

    private static int NextChunk(ReadOnlySpan<byte> input, int body, int size)
    {
        var next = body + size;
        return (size & 1) == 1 && next < input.Length && input[next] == 0 ? next + 1 : next;
    }

    private static bool LooksLikeChunkId(ReadOnlySpan<byte> id)
    {
        foreach (var b in id)
        {
            if (b is < 0x20 or > 0x7E)
            {
                return false;
            }
        }

        return true;
    }

    private static string ChunkName(ReadOnlySpan<byte> id) =>
        LooksLikeChunkId(id) ? System.Text.Encoding.ASCII.GetString(id) : Convert.ToHexString(id);
}
