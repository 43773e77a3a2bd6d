using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Export.Checkpoints;

/// <summary>
/// Strict reader for checkpoints written by TorchSharp's <c>Module.save</c>.
/// </summary>
/// <remarks>
/// <para>
/// The layout follows TorchSharp's code, not its comments. <c>Module.save(BinaryWriter)</c> and
/// <c>save_state_dict</c> (src/TorchSharp/NN/Module.cs) write the entry count with
/// <c>BinaryWriter.Encode</c> from <c>LEB128Codec</c> (src/TorchSharp/Utils/LEB128Codec.cs), an
/// unsigned LEB128 varint although the comment beside it says "4 bytes"; then, per state-dict
/// entry in dictionary order, the key with <c>BinaryWriter.Write(string)</c> (LEB128 byte length
/// and UTF-8) and the tensor with <c>TensorExtensionMethods.Save</c>
/// (src/TorchSharp/Tensor/TensorExtensionMethods.cs), which encodes the <c>ScalarType</c> code,
/// the rank and each dimension as LEB128 (its comments claim 4, 4 and 8 bytes) and then the raw
/// element bytes of the CPU tensor, little-endian on every platform TorchSharp ships for. There
/// is no magic number, version, or checksum.
/// </para>
/// <para>
/// TorchSharp's own decoder accepts anything; this one refuses, with a
/// <see cref="CheckpointFormatException"/> naming the entry or tensor and the rule: truncated
/// or over-long varints, an entry count or name length the remaining bytes cannot hold,
/// invalid UTF-8 or empty names, duplicate names, unknown dtype codes, rank or dimensions over
/// the limits in <see cref="CheckpointReadOptions"/>, data past the end of the file, and bytes
/// after the last entry. Tensor bytes are slices of the input, not copies.
/// </para>
/// </remarks>
public static class TorchSharpCheckpointReader
{
    // Smallest possible entry: a zero name length, a dtype code and a zero rank, one byte each,
    // plus at least one name byte because names must not be empty.
    private const int MinEntryBytes = 4;

    /// <summary>Reads a checkpoint file from disk.</summary>
    public static TensorMap ReadFile(string path, CheckpointReadOptions? options = null)
    {
        options ??= CheckpointReadOptions.Default;
        return Read(CheckpointBytes.ReadFile(path, options.MaxFileBytes), options);
    }

    /// <summary>Reads a checkpoint from the rest of <paramref name="stream"/>.</summary>
    public static TensorMap Read(Stream stream, CheckpointReadOptions? options = null)
    {
        options ??= CheckpointReadOptions.Default;
        return Read(CheckpointBytes.ReadStream(stream, options.MaxFileBytes), options);
    }

    /// <summary>Reads a checkpoint held in memory; the result keeps the state-dict order.</summary>
    /// <exception cref="CheckpointFormatException">The bytes break a rule of the format.</exception>
    public static TensorMap Read(ReadOnlyMemory<byte> file, CheckpointReadOptions? options = null)
    {
        options ??= CheckpointReadOptions.Default;
        if (file.Length > options.MaxFileBytes)
        {
            throw new CheckpointFormatException(
                CheckpointFormatRules.FileSize, null, $"the file is {file.Length} bytes, more than the limit of {options.MaxFileBytes}");
        }

        var cursor = new TorchSharpCursor(file);
        var count = cursor.ReadVarint("entry count", null);
        if (count > cursor.Remaining / MinEntryBytes)
        {
            throw new CheckpointFormatException(
                CheckpointFormatRules.EntryCount,
                null,
                $"the file declares {count} entries but its remaining {cursor.Remaining} bytes can hold at most {cursor.Remaining / MinEntryBytes}");
        }

        var tensors = new List<NamedTensor>((int)count);
        var indexByName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var entry = i == 0 ? "entry 0" : $"entry {i} (after '{tensors[i - 1].Name}')";
            var name = ReadName(ref cursor, entry, options);
            if (!indexByName.TryAdd(name, i))
            {
                throw new CheckpointFormatException(
                    CheckpointFormatRules.DuplicateName, name, $"entries {indexByName[name]} and {i} share the name");
            }

            var tensor = ReadTensor(ref cursor, name, options);
            if (options.RequireFiniteFloats)
            {
                TensorChecks.EnsureFinite(tensor);
            }

            tensors.Add(tensor);
        }

        if (cursor.Remaining > 0)
        {
            throw new CheckpointFormatException(
                CheckpointFormatRules.TrailingBytes,
                tensors.Count > 0 ? tensors[^1].Name : null,
                $"{cursor.Remaining} bytes follow the last of the {count} declared entries");
        }

        return new TensorMap(tensors);
    }

    private static string ReadName(ref TorchSharpCursor cursor, string entry, CheckpointReadOptions options)
    {
        var length = cursor.ReadVarint($"name length of {entry}", null);
        if (length == 0)
        {
            throw new CheckpointFormatException(CheckpointFormatRules.Name, null, $"{entry}: the name is empty");
        }

        if (length > options.MaxNameBytes)
        {
            throw new CheckpointFormatException(
                CheckpointFormatRules.Name, null, $"{entry}: the name length {length} exceeds the limit of {options.MaxNameBytes} bytes");
        }

        if (length > cursor.Remaining)
        {
            throw new CheckpointFormatException(
                CheckpointFormatRules.Truncated,
                null,
                $"{entry}: the name length {length} runs past the end of the file ({cursor.Remaining} bytes left)");
        }

        return cursor.ReadUtf8((int)length, entry);
    }

    private static NamedTensor ReadTensor(ref TorchSharpCursor cursor, string name, CheckpointReadOptions options)
    {
        var code = cursor.ReadVarint("dtype code", name);
        if (!TorchSharpScalarTypes.TryFromCode((ulong)code, out var dtype))
        {
            throw new CheckpointFormatException(CheckpointFormatRules.DType, name, $"unknown dtype code {code}");
        }

        var rank = cursor.ReadVarint("rank", name);
        if (rank > options.MaxRank)
        {
            throw new CheckpointFormatException(CheckpointFormatRules.Shape, name, $"rank {rank} exceeds the limit of {options.MaxRank}");
        }

        var shape = new long[rank];
        for (var d = 0; d < rank; d++)
        {
            shape[d] = cursor.ReadVarint($"dimension {d}", name);
            if (shape[d] > options.MaxDimension)
            {
                throw new CheckpointFormatException(
                    CheckpointFormatRules.Shape, name, $"dimension {d} is {shape[d]}, over the limit of {options.MaxDimension}");
            }
        }

        if (!TensorShape.TryGetByteCount(shape, dtype, out var byteCount))
        {
            throw new CheckpointFormatException(
                CheckpointFormatRules.Shape, name, $"the byte size of {dtype} {TensorShape.Format(shape)} overflows");
        }

        if (byteCount > cursor.Remaining)
        {
            throw new CheckpointFormatException(
                CheckpointFormatRules.Truncated,
                name,
                $"{dtype} {TensorShape.Format(shape)} needs {byteCount} bytes of data but only {cursor.Remaining} remain");
        }

        return new NamedTensor(name, dtype, shape, cursor.Take((int)byteCount));
    }
}
