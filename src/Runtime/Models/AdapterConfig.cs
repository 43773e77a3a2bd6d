using System.Text.Json;

namespace SpeechServe.Runtime.Models;

/// <summary>
/// <c>adapter_config.json</c> of an adapter package (docs/model.md): what the adapter is and which base
/// model it was trained on. Written by the exporter next to <c>adapter_model.safetensors</c>, which holds
/// the <c>adapters.{name}.*</c> tensors in the checkpoint layout. Keys are snake_case.
/// </summary>
public sealed record AdapterConfig
{
    /// <summary>The format this code writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>The name of the package's adapter file.</summary>
    public const string WeightsFileName = "adapter_model.safetensors";

    /// <summary>The name of this file in a package.</summary>
    public const string FileName = "adapter_config.json";

    /// <summary>The name of a translation package's decoder step graph (docs/model.md, "Two graphs").</summary>
    public const string DecoderFileName = "decoder.onnx";

    /// <summary>The name of a translation package's cross-attention graph, run once per utterance.</summary>
    public const string DecoderCrossFileName = "decoder_cross.onnx";

    /// <summary>Format version of this file; readers refuse versions they do not know.</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>The adapter's name: the domain in its tensor names, and the model id clients select it by.</summary>
    public required string Name { get; init; }

    /// <summary>Id of the base model it was trained on.</summary>
    public required string BaseModel { get; init; }

    /// <summary>The base model's <see cref="ModelManifest.BaseSha256"/>; the adapter is refused by any other base.</summary>
    public required string BaseSha256 { get; init; }

    /// <summary><c>asr</c> (CTC head) or <c>translation</c> (attention decoder).</summary>
    public string Kind { get; init; } = "asr";

    /// <summary>Adapter bottleneck size r.</summary>
    public required int BottleneckSize { get; init; }

    /// <summary>Number of encoder layers with an adapter.</summary>
    public required int Layers { get; init; }

    /// <summary>Language of the domain, e.g. <c>en</c>.</summary>
    public string Language { get; init; } = "en";

    /// <summary>The attention decoder's settings; present exactly when <see cref="Kind"/> is <c>translation</c>.</summary>
    public AdapterTranslationConfig? Translation { get; init; }

    /// <summary>Evaluation results by name, e.g. <c>wer</c>; empty when none were measured.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Reads a config and checks its format version.</summary>
    /// <exception cref="InvalidDataException">The file is not a config this version understands.</exception>
    public static AdapterConfig Parse(ReadOnlySpan<byte> json)
    {
        AdapterConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<AdapterConfig>(json, ModelManifest.JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{FileName} is not valid: {ex.Message}", ex);
        }

        if (config is null)
        {
            throw new InvalidDataException($"{FileName} is empty (null).");
        }

        if (config.FormatVersion != CurrentFormatVersion)
        {
            throw new InvalidDataException(
                $"{FileName} has format_version {config.FormatVersion}; this version reads {CurrentFormatVersion}.");
        }

        return config;
    }

    /// <summary>The config as indented UTF-8 JSON.</summary>
    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, ModelManifest.JsonOptions);
}

/// <summary>
/// The <c>translation</c> section of a translation adapter's <c>adapter_config.json</c>: what the runtime needs
/// besides the two decoder graphs. <see cref="AdapterConfig.Language"/> is the source language.
/// </summary>
public sealed record AdapterTranslationConfig
{
    /// <summary>The language of the output text, e.g. <c>en</c>.</summary>
    public required string TargetLanguage { get; init; }

    /// <summary>The longest token sequence (<c>&lt;s&gt;</c> included) the decoder accepts.</summary>
    public required int MaxPositions { get; init; }

    /// <summary>The decoder's output tokens in id order; their count is the step graph's logit width.</summary>
    public required IReadOnlyList<string> Vocabulary { get; init; }
}
