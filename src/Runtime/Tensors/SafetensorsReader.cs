using System.Buffers.Binary;
using System.Collections.ObjectModel;

namespace SpeechServe.Runtime.Tensors;

/// <summary>
/// Strict reader for safetensors files: an 8-byte little-endian header length N, N bytes of
/// UTF-8 JSON mapping each tensor name to <c>{"dtype", "shape", "data_offsets"}</c> (plus an
/// optional <c>__metadata__</c> object of strings), then the data buffer.
/// </summary>
/// <remarks>
/// Every violation is a <see cref="CheckpointFormatException"/> naming the tensor and the rule.
/// Beyond the per-entry checks, the tensors sorted by offset must tile the data buffer exactly:
/// no overlap, no gap, and no trailing bytes after the last tensor. Trailing bytes are an error
/// (as in the reference implementation) because nothing in the format can refer to them, so
/// they can only be a truncated write, a concatenation, or smuggled content. Entries may be in
/// any order in the JSON; the result lists tensors in data order. Tensor bytes are slices of
/// the input, not copies.
/// </remarks>
public static class SafetensorsReader
{
    private const int LengthPrefixBytes = 8;

    /// <summary>Reads a safetensors file from disk.</summary>
    public static SafetensorsFile ReadFile(string path, CheckpointReadOptions? options = null)
    {
        options ??= CheckpointReadOptions.Default;
        return Read(CheckpointBytes.ReadFile(path, options.MaxFileBytes), options);
    }

    /// <summary>Reads a safetensors file from the rest of <paramref name="stream"/>.</summary>
    public static SafetensorsFile Read(Stream stream, CheckpointReadOptions? options = null)
    {
        options ??= CheckpointReadOptions.Default;
        return Read(CheckpointBytes.ReadStream(stream, options.MaxFileBytes), options);
    }

    /// <summary>Reads a safetensors file held in memory.</summary>
    /// <exception cref="CheckpointFormatException">The bytes break a rule of the format.</exception>
    public static SafetensorsFile Read(ReadOnlyMemory<byte> file, CheckpointReadOptions? options = null)
    {
        options ??= CheckpointReadOptions.Default;
        if (file.Length > options.MaxFileBytes)
        {
            throw new CheckpointFormatException(
                CheckpointFormatRules.FileSize, null, $"the file is {file.Length} bytes, more than the limit of {options.MaxFileBytes}");
        }

        var headerLength = ReadHeaderLength(file.Span, options);
        var buffer = file[(LengthPrefixBytes + headerLength)..];
        var (entries, metadata) = SafetensorsHeaderParser.Parse(
            file.Slice(LengthPrefixBytes, headerLength), buffer.Length, options);

        entries.Sort(static (a, b) =>
            a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin)
            : a.End != b.End ? a.End.CompareTo(b.End)
            : a.HeaderIndex.CompareTo(b.HeaderIndex));
        CheckLayout(entries, buffer.Length);

        var tensors = new List<NamedTensor>(entries.Count);
        foreach (var entry in entries)
        {
            var tensor = new NamedTensor(
                entry.Name, entry.DType, entry.Shape, buffer[(int)entry.Begin..(int)entry.End]);
            if (options.RequireFiniteFloats)
            {
                TensorChecks.EnsureFinite(tensor);
            }

            tensors.Add(tensor);
        }

        return new SafetensorsFile(new TensorMap(tensors), new ReadOnlyDictionary<string, string>(metadata));
    }

    private static int ReadHeaderLength(ReadOnlySpan<byte> file, CheckpointReadOptions options)
    {
        if (file.Length < LengthPrefixBytes)
        {
            throw new CheckpointFormatException(
                CheckpointFormatRules.HeaderLength, null, $"the file is {file.Length} bytes, shorter than the 8-byte header length");
        }

        var declared = BinaryPrimitives.ReadUInt64LittleEndian(file);
        var available = (ulong)(file.Length - LengthPrefixBytes);
        if (declared == 0)
        {
            throw new CheckpointFormatException(CheckpointFormatRules.HeaderLength, null, "the header length is 0");
        }

        if (declared > (ulong)Math.Max(options.MaxHeaderBytes, 0))
        {
            throw new CheckpointFormatException(
                CheckpointFormatRules.HeaderLength, null, $"the header length {declared} exceeds the limit of {options.MaxHeaderBytes} bytes");
        }

        if (declared > available)
        {
            throw new CheckpointFormatException(
                CheckpointFormatRules.HeaderLength, null, $"the header length {declared} runs past the end of the file ({available} bytes follow the length)");
        }

        return (int)declared;
    }

    private static void CheckLayout(List<SafetensorsEntry> sorted, long bufferLength)
    {
        long expected = 0;
        SafetensorsEntry? previous = null;
        foreach (var entry in sorted)
        {
            if (entry.Begin < expected)
            {
                throw new CheckpointFormatException(
                    CheckpointFormatRules.Layout,
                    entry.Name,
                    $"data_offsets [{entry.Begin},{entry.End}] overlap tensor '{previous!.Name}' [{previous.Begin},{previous.End}]");
            }

            if (entry.Begin > expected)
            {
                throw new CheckpointFormatException(
                    CheckpointFormatRules.Layout,
                    entry.Name,
                    $"data_offsets [{entry.Begin},{entry.End}] leave a gap of {entry.Begin - expected} bytes before them");
            }

            expected = entry.End;
            previous = entry;
        }

        if (expected != bufferLength)
        {
            throw new CheckpointFormatException(
                CheckpointFormatRules.TrailingBytes,
                previous?.Name,
                $"the data buffer is {bufferLength} bytes but the tensors cover {expected}; {bufferLength - expected} bytes follow the last tensor");
        }
    }
}
