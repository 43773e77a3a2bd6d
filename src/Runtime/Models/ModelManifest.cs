using System.Text.Json;
using System.Text.Json.Serialization;

namespace SpeechServe.Runtime.Models;

/// <summary>
/// <c>model.json</c> of a model repository: what the model is, how to feed it and the SHA-256 of every
/// file it is made of. Written by the exporter, read by the server. Keys are snake_case.
/// </summary>
public sealed record ModelManifest
{
    /// <summary>The manifest format this code writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>The JSON conventions of model.json and adapter_config.json.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    /// <summary>Format version of this file; readers refuse versions they do not know.</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>The model id clients pass as <c>model</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Encoder hyper-parameters.</summary>
    public required EncoderArchitecture Architecture { get; init; }

    /// <summary>Frontend parameters.</summary>
    public FeatureConfig Features { get; init; } = new();

    /// <summary>Vocabulary file, relative to the repository directory.</summary>
    public string Vocabulary { get; init; } = "tokens.txt";

    /// <summary>Encoder graph, relative to the repository directory.</summary>
    public string Encoder { get; init; } = "encoder.onnx";

    /// <summary>Int8 dynamically quantized encoder, when exported.</summary>
    public string? EncoderInt8 { get; init; }

    /// <summary>
    /// The base model's CTC head (<c>ctc.weight</c> <c>[V, d]</c>, <c>ctc.bias</c> <c>[V]</c>, float32), a
    /// safetensors file relative to the repository directory: the head fed to the encoder for requests
    /// without an adapter.
    /// </summary>
    public string BaseHead { get; init; } = "base_head.safetensors";

    /// <summary>ONNX opset of the graphs.</summary>
    public int Opset { get; init; } = 17;

    /// <summary>
    /// SHA-256 (lower-case hex) of the base model's weights as the exporter read them: adapter packages
    /// name it to say which base model they were trained on.
    /// </summary>
    public required string BaseSha256 { get; init; }

    /// <summary>
    /// SHA-256 (lower-case hex) of every file of the base model, by relative path. The adapters under
    /// <c>adapters/</c> are not listed: they change at run time and carry their own checksums.
    /// </summary>
    public required IReadOnlyDictionary<string, string> Files { get; init; }

    /// <summary>The word language model decoding uses, when the repository has one (docs/decoding.md).</summary>
    public LanguageModelConfig? LanguageModel { get; init; }

    /// <summary>The ISO-639-1 language of the speech the base model recognises; <c>en</c> when model.json names none.</summary>
    public string Language { get; init; } = "en";

    /// <summary>Where the weights came from: checkpoint, training recipe, exporter version.</summary>
    public IReadOnlyDictionary<string, string> Provenance { get; init; } = new Dictionary<string, string>();

    /// <summary>Reads and checks a manifest.</summary>
    /// <exception cref="InvalidDataException">The file is not a manifest this version understands.</exception>
    public static ModelManifest Parse(ReadOnlySpan<byte> json)
    {
        ModelManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModelManifest>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"model.json is not valid: {ex.Message}", ex);
        }

        if (manifest is null)
        {
            throw new InvalidDataException("model.json is empty (null).");
        }

        if (manifest.FormatVersion != CurrentFormatVersion)
        {
            throw new InvalidDataException(
                $"model.json has format_version {manifest.FormatVersion}; this server reads version {CurrentFormatVersion}.");
        }

        manifest.Architecture.Validated();
        manifest.LanguageModel?.Validated(manifest.Files);
        return manifest;
    }

    /// <summary>The manifest as indented UTF-8 JSON.</summary>
    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, JsonOptions);
}
