using System.Text.Json;
using System.Text.Unicode;

namespace SpeechServe.Runtime.Tensors;

/// <summary>
/// Parses and checks the JSON header of a safetensors file, entry by entry. Layout across
/// entries (overlap, gaps, trailing bytes) is checked afterwards by <see cref="SafetensorsReader"/>.
/// </summary>
internal static class SafetensorsHeaderParser
{
    public const string MetadataKey = "__metadata__";

    // Root object -> entry object -> shape array; one spare level.
    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 4 };

    public static (List<SafetensorsEntry> Entries, Dictionary<string, string> Metadata) Parse(
        ReadOnlyMemory<byte> header, long bufferLength, CheckpointReadOptions options)
    {
        if (header.Span[0] != (byte)'{')
        {
            throw new CheckpointFormatException(
                CheckpointFormatRules.HeaderJson, null, $"the header must start with '{{', found byte 0x{header.Span[0]:X2}");
        }

        // JsonDocument defers UTF-8 validation of names to first access; check it all up front.
        if (!Utf8.IsValid(header.Span))
        {
            throw new CheckpointFormatException(CheckpointFormatRules.HeaderJson, null, "the header is not valid UTF-8");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header, JsonOptions);
        }
        catch (JsonException exception)
        {
            throw new CheckpointFormatException(
                CheckpointFormatRules.HeaderJson, null, $"the header is not valid UTF-8 JSON ({exception.Message})", exception);
        }

        using (document)
        {
            try
            {
                return ParseRoot(document.RootElement, bufferLength, options);
            }
            catch (InvalidOperationException exception)
            {
                // An escaped lone surrogate ("\udc00") in a name or string value.
                throw new CheckpointFormatException(
                    CheckpointFormatRules.HeaderJson, null, $"the header holds an invalid string ({exception.Message})", exception);
            }
        }
    }

    private static (List<SafetensorsEntry> Entries, Dictionary<string, string> Metadata) ParseRoot(
        JsonElement root, long bufferLength, CheckpointReadOptions options)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new CheckpointFormatException(
                CheckpointFormatRules.HeaderJson, null, $"the header is a JSON {root.ValueKind}, not an object");
        }

        var entries = new List<SafetensorsEntry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            var name = property.Name;
            if (!seen.Add(name))
            {
                throw new CheckpointFormatException(
                    CheckpointFormatRules.DuplicateName, name, "the name appears more than once in the header");
            }

            if (name == MetadataKey)
            {
                ParseMetadata(property.Value, metadata);
            }
            else
            {
                entries.Add(ParseEntry(name, property.Value, entries.Count, bufferLength, options));
            }
        }

        return (entries, metadata);
    }

    private static void ParseMetadata(JsonElement element, Dictionary<string, string> metadata)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new CheckpointFormatException(
                CheckpointFormatRules.Metadata, null, $"{MetadataKey} is a JSON {element.ValueKind}, not an object");
        }

        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                throw new CheckpointFormatException(
                    CheckpointFormatRules.Metadata, null, $"the value of '{property.Name}' is a JSON {property.Value.ValueKind}, not a string");
            }

            if (!metadata.TryAdd(property.Name, property.Value.GetString()!))
            {
                throw new CheckpointFormatException(
                    CheckpointFormatRules.Metadata, null, $"the key '{property.Name}' appears more than once");
            }
        }
    }

    private static SafetensorsEntry ParseEntry(
        string name, JsonElement element, int index, long bufferLength, CheckpointReadOptions options)
    {
        if (name.Length == 0)
        {
            throw new CheckpointFormatException(CheckpointFormatRules.Name, name, "tensor names must not be empty");
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new CheckpointFormatException(
                CheckpointFormatRules.EntryFields, name, $"the entry is a JSON {element.ValueKind}, not an object");
        }

        JsonElement? dtypeElement = null, shapeElement = null, offsetsElement = null;
        foreach (var field in element.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype":
                    SetOnce(ref dtypeElement, field, name);
                    break;
                case "shape":
                    SetOnce(ref shapeElement, field, name);
                    break;
                case "data_offsets":
                    SetOnce(ref offsetsElement, field, name);
                    break;
                default:
                    throw new CheckpointFormatException(CheckpointFormatRules.EntryFields, name, $"unknown field '{field.Name}'");
            }
        }

        var dtype = ParseDType(name, dtypeElement ?? throw Missing(name, "dtype"));
        var shape = ParseShape(name, shapeElement ?? throw Missing(name, "shape"), options);
        var (begin, end) = ParseOffsets(name, offsetsElement ?? throw Missing(name, "data_offsets"), bufferLength);

        if (!TensorShape.TryGetByteCount(shape, dtype, out var byteCount))
        {
            throw new CheckpointFormatException(
                CheckpointFormatRules.Shape, name, $"the byte size of {SafetensorsDTypes.ToName(dtype)} {TensorShape.Format(shape)} overflows");
        }

        if (byteCount != end - begin)
        {
            throw new CheckpointFormatException(
                CheckpointFormatRules.ByteLength,
                name,
                $"{SafetensorsDTypes.ToName(dtype)} {TensorShape.Format(shape)} needs {byteCount} bytes, data_offsets [{begin},{end}] span {end - begin}");
        }

        return new SafetensorsEntry(name, dtype, shape, begin, end, index);
    }

    private static TensorDType ParseDType(string name, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            throw new CheckpointFormatException(CheckpointFormatRules.DType, name, $"dtype is a JSON {element.ValueKind}, not a string");
        }

        var text = element.GetString()!;
        return SafetensorsDTypes.TryParse(text, out var dtype)
            ? dtype
            : throw new CheckpointFormatException(CheckpointFormatRules.DType, name, $"unknown dtype '{text}'");
    }

    private static long[] ParseShape(string name, JsonElement element, CheckpointReadOptions options)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new CheckpointFormatException(CheckpointFormatRules.Shape, name, $"shape is a JSON {element.ValueKind}, not an array");
        }

        var rank = element.GetArrayLength();
        if (rank > options.MaxRank)
        {
            throw new CheckpointFormatException(CheckpointFormatRules.Shape, name, $"rank {rank} exceeds the limit of {options.MaxRank}");
        }

        var shape = new long[rank];
        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var dim) || dim < 0)
            {
                throw new CheckpointFormatException(
                    CheckpointFormatRules.Shape, name, $"dimension {i} is {item.GetRawText()}, not a non-negative integer");
            }

            if (dim > options.MaxDimension)
            {
                throw new CheckpointFormatException(
                    CheckpointFormatRules.Shape, name, $"dimension {i} is {dim}, over the limit of {options.MaxDimension}");
            }

            shape[i++] = dim;
        }

        return shape;
    }

    private static (long Begin, long End) ParseOffsets(string name, JsonElement element, long bufferLength)
    {
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() != 2)
        {
            throw new CheckpointFormatException(
                CheckpointFormatRules.DataOffsets, name, $"data_offsets must be [begin, end], found {element.GetRawText()}");
        }

        var begin = element[0];
        var end = element[1];
        if (begin.ValueKind != JsonValueKind.Number || !begin.TryGetInt64(out var b) || b < 0
            || end.ValueKind != JsonValueKind.Number || !end.TryGetInt64(out var e) || e < 0)
        {
            throw new CheckpointFormatException(
                CheckpointFormatRules.DataOffsets, name, $"data_offsets must be two non-negative integers, found {element.GetRawText()}");
        }

        if (b > e)
        {
            throw new CheckpointFormatException(CheckpointFormatRules.DataOffsets, name, $"begin {b} is after end {e}");
        }

        if (e > bufferLength)
        {
            throw new CheckpointFormatException(
                CheckpointFormatRules.DataOffsets, name, $"end {e} is past the end of the {bufferLength}-byte data buffer");
        }

        return (b, e);
    }

    private static void SetOnce(ref JsonElement? slot, JsonProperty field, string name)
    {
        if (slot.HasValue)
        {
            throw new CheckpointFormatException(
                CheckpointFormatRules.EntryFields, name, $"the field '{field.Name}' appears more than once");
        }

        slot = field.Value;
    }

    private static CheckpointFormatException Missing(string name, string field) =>
        new(CheckpointFormatRules.EntryFields, name, $"missing field '{field}'");
}
