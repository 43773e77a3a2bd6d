using System.Text.Json;
using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Export.Checkpoints;

/// <summary>
/// Reads a <see cref="CheckpointSchema"/> given as data: a JSON array of
/// <c>{"name": "ctc.bias", "shape": [29], "dtype": "F32"}</c>. The dtype is a safetensors name
/// (<c>F32</c>, <c>BF16</c>, ...) or a <see cref="TensorDType"/> name (<c>Float32</c>), and
/// defaults to Float32 when absent.
/// </summary>
public static class CheckpointSchemaJson
{
    /// <summary>Parses the JSON text of a schema.</summary>
    /// <exception cref="InvalidDataException">The JSON is malformed or an entry is invalid.</exception>
    public static CheckpointSchema Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return Parse(document.RootElement);
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"Checkpoint schema: invalid JSON ({exception.Message}).", exception);
        }
    }

    /// <summary>Parses a schema from a JSON array element.</summary>
    /// <exception cref="InvalidDataException">An entry is invalid.</exception>
    public static CheckpointSchema Parse(JsonElement array)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"Checkpoint schema: expected a JSON array, found {array.ValueKind}.");
        }

        var specs = new List<TensorSpec>();
        foreach (var item in array.EnumerateArray())
        {
            specs.Add(ParseSpec(item, specs.Count));
        }

        try
        {
            return new CheckpointSchema(specs);
        }
        catch (ArgumentException exception)
        {
            throw new InvalidDataException($"Checkpoint schema: {exception.Message}", exception);
        }
    }

    private static TensorSpec ParseSpec(JsonElement item, int index)
    {
        if (item.ValueKind != JsonValueKind.Object
            || !item.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String
            || !item.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"Checkpoint schema entry {index}: expected {{\"name\": string, \"shape\": [..], \"dtype\"?: string}}.");
        }

        var name = nameElement.GetString()!;
        var shape = new List<long>();
        foreach (var dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out var value) || value < 0)
            {
                throw new InvalidDataException($"Checkpoint schema entry '{name}': dimension {dim.GetRawText()} is not a non-negative integer.");
            }

            shape.Add(value);
        }

        var dtype = TensorDType.Float32;
        if (item.TryGetProperty("dtype", out var dtypeElement))
        {
            var text = dtypeElement.ValueKind == JsonValueKind.String ? dtypeElement.GetString()! : dtypeElement.GetRawText();
            if (!SafetensorsDTypes.TryParse(text, out dtype)
                && !(Enum.TryParse(text, ignoreCase: false, out dtype) && Enum.IsDefined(dtype) && !char.IsDigit(text[0])))
            {
                throw new InvalidDataException($"Checkpoint schema entry '{name}': unknown dtype {text}.");
            }
        }

        return new TensorSpec(name, [.. shape], dtype);
    }
}
