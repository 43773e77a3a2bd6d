using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;

namespace SpeechServe.Runtime.Tensors;

/// <summary>
/// Writes safetensors files deterministically: <c>__metadata__</c> first (keys in ordinal
/// order), then the tensors in the order given, their data in the same order with no gaps;
/// the JSON header is padded with spaces so that the data buffer starts 8-byte aligned.
/// </summary>
public static class SafetensorsWriter
{
    private const int Alignment = 8;

    /// <summary>Writes a safetensors file to <paramref name="stream"/>.</summary>
    /// <exception cref="ArgumentException">Two tensors share a name, or a tensor is called <c>__metadata__</c>.</exception>
    public static void Write(
        Stream stream, IEnumerable<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensors);
        var list = tensors.ToList();
        var header = BuildHeader(list, metadata);

        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        foreach (var tensor in list)
        {
            stream.Write(tensor.Data.Span);
        }
    }

    /// <summary>Writes a safetensors file into a new array.</summary>
    public static byte[] WriteToArray(IEnumerable<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var stream = new MemoryStream();
        Write(stream, tensors, metadata);
        return stream.ToArray();
    }

    /// <summary>Writes a safetensors file to <paramref name="path"/>, replacing any file there.</summary>
    public static void WriteFile(string path, IEnumerable<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        Write(stream, tensors, metadata);
    }

    private static byte[] BuildHeader(List<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(SafetensorsHeaderParser.MetadataKey);
                foreach (var (key, value) in metadata.OrderBy(pair => pair.Key, StringComparer.Ordinal))
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            var names = new HashSet<string>(StringComparer.Ordinal);
            long offset = 0;
            foreach (var tensor in tensors)
            {
                if (tensor.Name == SafetensorsHeaderParser.MetadataKey || !names.Add(tensor.Name))
                {
                    throw new ArgumentException($"Tensor name '{tensor.Name}' is reserved or used twice.", nameof(tensors));
                }

                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", SafetensorsDTypes.ToName(tensor.DType));
                json.WriteStartArray("shape");
                foreach (var dim in tensor.Shape)
                {
                    json.WriteNumberValue(dim);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset += tensor.Data.Length;
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        var padding = (Alignment - (buffer.WrittenCount % Alignment)) % Alignment;
        var header = new byte[buffer.WrittenCount + padding];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }
}
