using System.Text.Json;

namespace SpeechServe.Runtime.Models;

// Reading and writing the architecture on its own: training's configs/*.json and the exporter's --config.
public sealed partial record EncoderArchitecture
{
    // Keys without a default: a config file that leaves one out is refused rather than read as the
    // reference value. (In model.json every key is written, so the manifest reader needs no such check.)
    private static readonly string[] RequiredKeys = ["n_mels", "d_model", "num_layers", "ff_dim", "conv_kernel", "adapter_dim", "vocab_size"];

    /// <summary>The reference model's values (docs/model.md): the defaults of every property.</summary>
    public static EncoderArchitecture Reference { get; } = new();

    /// <summary>
    /// Parses and validates an architecture object with snake_case keys. The keys without a reference
    /// default in docs/model.md (<c>n_mels</c>, <c>d_model</c>, <c>num_layers</c>, <c>ff_dim</c>,
    /// <c>conv_kernel</c>, <c>adapter_dim</c>, <c>vocab_size</c>) are required; unknown keys
    /// (training-only settings such as <c>dropout</c>) are ignored.
    /// </summary>
    /// <exception cref="InvalidDataException">The JSON is malformed, a required key is missing, or a value is out of range.</exception>
    public static EncoderArchitecture FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            return FromJson(document.RootElement);
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"Encoder architecture: {exception.Message}", exception);
        }
    }

    /// <summary>Parses and validates an architecture object, e.g. <c>model.json</c>'s <c>architecture</c> element.</summary>
    /// <exception cref="InvalidDataException">As <see cref="FromJson(string)"/>.</exception>
    public static EncoderArchitecture FromJson(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"Encoder architecture: expected a JSON object, found {element.ValueKind}.");
        }

        foreach (var key in RequiredKeys)
        {
            if (!element.TryGetProperty(key, out _))
            {
                throw new InvalidDataException($"Encoder architecture: required key '{key}' is missing.");
            }
        }

        EncoderArchitecture? architecture;
        try
        {
            architecture = element.Deserialize<EncoderArchitecture>(ModelManifest.JsonOptions);
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"Encoder architecture: {exception.Message}", exception);
        }

        try
        {
            return architecture!.Validated();
        }
        catch (InvalidDataException exception)
        {
            throw new InvalidDataException($"Encoder architecture: {exception.Message}", exception);
        }
    }

    /// <summary>Reads and validates an architecture JSON file.</summary>
    /// <exception cref="InvalidDataException">As <see cref="FromJson(string)"/>.</exception>
    public static EncoderArchitecture Load(string path) => FromJson(File.ReadAllText(path));

    /// <summary>The architecture as indented snake_case JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ModelManifest.JsonOptions);

    /// <summary>Checks the values (see <see cref="Validate"/>) and returns this instance.</summary>
    /// <exception cref="InvalidDataException">A value is out of range.</exception>
    public EncoderArchitecture Validated()
    {
        Validate();
        return this;
    }
}
