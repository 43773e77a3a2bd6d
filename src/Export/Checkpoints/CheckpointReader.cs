using System.Buffers.Binary;
using System.Collections.ObjectModel;
using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Export.Checkpoints;

/// <summary>
/// Reads a checkpoint in either supported format, detecting which one unless told.
/// </summary>
/// <remarks>
/// Detection: a file is safetensors when it is at least 9 bytes long, its first 8 bytes read
/// as a little-endian u64 give a header length N with 0 &lt; N &lt;= length - 8, and byte 8 (the
/// first header byte) is <c>{</c>. Anything else is read as TorchSharp. For a TorchSharp file
/// under 4 GiB to pass, its bytes 4 to 7 would have to be zero and byte 8 a <c>{</c>: only a
/// first tensor name holding NUL bytes, or a one-byte name followed by zero-valued data, can
/// do that. Callers that know the format should say so; errors are then reported in that
/// format's terms.
/// </remarks>
public static class CheckpointReader
{
    private static readonly IReadOnlyDictionary<string, string> NoMetadata =
        new ReadOnlyDictionary<string, string>(new Dictionary<string, string>());

    /// <summary>Guesses the format from the first bytes and the length of a file.</summary>
    public static CheckpointFormat Detect(ReadOnlySpan<byte> file)
    {
        if (file.Length >= 9)
        {
            var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
            if (headerLength > 0 && headerLength <= (ulong)(file.Length - 8) && file[8] == (byte)'{')
            {
                return CheckpointFormat.Safetensors;
            }
        }

        return CheckpointFormat.TorchSharp;
    }

    /// <summary>Reads a checkpoint file from disk.</summary>
    /// <param name="path">The file.</param>
    /// <param name="format">The format, or null to detect it.</param>
    /// <param name="options">Limits and checks; the defaults suit untrusted files.</param>
    /// <exception cref="CheckpointFormatException">The file breaks a rule of its format.</exception>
    public static Checkpoint ReadFile(string path, CheckpointFormat? format = null, CheckpointReadOptions? options = null)
    {
        options ??= CheckpointReadOptions.Default;
        return Read(CheckpointBytes.ReadFile(path, options.MaxFileBytes), format, options);
    }

    /// <summary>Reads a checkpoint from the rest of <paramref name="stream"/>.</summary>
    public static Checkpoint Read(Stream stream, CheckpointFormat? format = null, CheckpointReadOptions? options = null)
    {
        options ??= CheckpointReadOptions.Default;
        return Read(CheckpointBytes.ReadStream(stream, options.MaxFileBytes), format, options);
    }

    /// <summary>Reads a checkpoint held in memory.</summary>
    public static Checkpoint Read(ReadOnlyMemory<byte> file, CheckpointFormat? format = null, CheckpointReadOptions? options = null)
    {
        options ??= CheckpointReadOptions.Default;
        var resolved = format ?? Detect(file.Span);
        switch (resolved)
        {
            case CheckpointFormat.Safetensors:
                var safetensors = SafetensorsReader.Read(file, options);
                return new Checkpoint(resolved, safetensors.Tensors, safetensors.Metadata);
            case CheckpointFormat.TorchSharp:
                return new Checkpoint(resolved, TorchSharpCheckpointReader.Read(file, options), NoMetadata);
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown checkpoint format.");
        }
    }
}
