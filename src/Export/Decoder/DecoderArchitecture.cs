using System.Text.Json;
using System.Text.Json.Serialization;
using SpeechServe.Runtime.Models;

namespace SpeechServe.Export.Decoder;

/// <summary>
/// Hyper-parameters of a translation decoder: the <c>decoder_config</c> metadata of <c>decoder.safetensors</c>
/// (docs/model.md, "Translation decoder"), snake_case keys as <c>training/speechfm/translation.py</c> writes them.
/// </summary>
public sealed record DecoderArchitecture
{
    /// <summary>Output vocabulary Vt.</summary>
    public required int VocabSize { get; init; }

    /// <summary>Model width D; equal to the encoder's <c>d_model</c>.</summary>
    public required int DModel { get; init; }

    /// <summary>Decoder layers Ld.</summary>
    public required int NumLayers { get; init; }

    /// <summary>Attention heads H.</summary>
    public required int NumHeads { get; init; }

    /// <summary>Feed-forward inner width Fd.</summary>
    public required int FfDim { get; init; }

    /// <summary>Learned positions Pmax: the longest token sequence the decoder accepts.</summary>
    public required int MaxPositions { get; init; }

    /// <summary>Width of one head, <c>D / H</c>.</summary>
    [JsonIgnore]
    public int HeadDim => DModel / NumHeads;

    /// <summary>Parses and validates <c>decoder_config</c>; keys it does not use (<c>dropout</c>) are ignored.</summary>
    /// <exception cref="InvalidDataException">The JSON is malformed, a key is missing or a value out of range.</exception>
    public static DecoderArchitecture FromJson(string json)
    {
        DecoderArchitecture? architecture;
        try
        {
            architecture = JsonSerializer.Deserialize<DecoderArchitecture>(json, ModelManifest.JsonOptions);
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"decoder_config: {exception.Message}", exception);
        }

        return (architecture ?? throw new InvalidDataException("decoder_config is null.")).Validated();
    }

    /// <summary>The architecture as snake_case JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ModelManifest.JsonOptions);

    private DecoderArchitecture Validated()
    {
        foreach (var (value, key) in new[] { (VocabSize, "vocab_size"), (DModel, "d_model"), (NumLayers, "num_layers"), (NumHeads, "num_heads"), (FfDim, "ff_dim"), (MaxPositions, "max_positions") })
        {
            if (value <= 0)
            {
                throw new InvalidDataException($"decoder_config: {key} is {value}, it must be positive.");
            }
        }

        if (DModel % NumHeads != 0)
        {
            throw new InvalidDataException($"decoder_config: num_heads {NumHeads} does not divide d_model {DModel}.");
        }

        return this;
    }
}
