using System.Text.Json;
using System.Text.Json.Serialization;

namespace SpeechServe.Runtime.Models;

/// <summary>
/// Hyper-parameters of the streaming Conformer encoder (docs/model.md, "Encoder"), as found in
/// <c>model.json</c> under <c>architecture</c> and in training's <c>training/configs/*.json</c>.
/// JSON keys are snake_case; keys this type does not know are ignored.
/// </summary>
public sealed record EncoderArchitecture
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        NumberHandling = JsonNumberHandling.Strict,
        WriteIndented = true,
    };

    /// <summary>The reference model's values.</summary>
    public static EncoderArchitecture Reference { get; } = new()
    {
        NMels = 80,
        DModel = 192,
        NumLayers = 6,
        NumHeads = 4,
        FfDim = 768,
        ConvKernel = 15,
        ChunkFrames = 8,
        LeftContextFrames = 32,
        AdapterDim = 16,
        VocabSize = 29,
    };

    /// <summary>Feature dimension (<c>n_mels</c>).</summary>
    [JsonPropertyName("n_mels")]
    public required int NMels { get; init; }

    /// <summary>Model width d (<c>d_model</c>).</summary>
    [JsonPropertyName("d_model")]
    public required int DModel { get; init; }

    /// <summary>Number of Conformer blocks N (<c>num_layers</c>).</summary>
    [JsonPropertyName("num_layers")]
    public required int NumLayers { get; init; }

    /// <summary>Attention heads (<c>num_heads</c>); must divide d. Default 4.</summary>
    [JsonPropertyName("num_heads")]
    public int NumHeads { get; init; } = 4;

    /// <summary>Feed-forward inner width (<c>ff_dim</c>).</summary>
    [JsonPropertyName("ff_dim")]
    public required int FfDim { get; init; }

    /// <summary>Causal depthwise convolution kernel k (<c>conv_kernel</c>).</summary>
    [JsonPropertyName("conv_kernel")]
    public required int ConvKernel { get; init; }

    /// <summary>Attention chunk C in encoder frames (<c>chunk_frames</c>). Default 8.</summary>
    [JsonPropertyName("chunk_frames")]
    public int ChunkFrames { get; init; } = 8;

    /// <summary>Attention left context L in encoder frames (<c>left_context_frames</c>). Default 32.</summary>
    [JsonPropertyName("left_context_frames")]
    public int LeftContextFrames { get; init; } = 32;

    /// <summary>Adapter bottleneck r (<c>adapter_dim</c>).</summary>
    [JsonPropertyName("adapter_dim")]
    public required int AdapterDim { get; init; }

    /// <summary>CTC vocabulary size V, blank included (<c>vocab_size</c>).</summary>
    [JsonPropertyName("vocab_size")]
    public required int VocabSize { get; init; }

    /// <summary>Feature frames per encoder frame: the convolutional subsampling factor, fixed by the design.</summary>
    public const int Subsampling = 4;

    /// <summary>Feature frames per attention chunk.</summary>
    [JsonIgnore]
    public int ChunkFeatureFrames => ChunkFrames * Subsampling;

    /// <summary>Parses and validates an architecture object.</summary>
    /// <exception cref="InvalidDataException">The JSON is malformed, a required key is missing, or a value is out of range.</exception>
    public static EncoderArchitecture FromJson(string json)
    {
        EncoderArchitecture? architecture;
        try
        {
            architecture = JsonSerializer.Deserialize<EncoderArchitecture>(json, JsonOptions);
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"Encoder architecture: {exception.Message}", exception);
        }

        return (architecture ?? throw new InvalidDataException("Encoder architecture: the JSON is null.")).Validated();
    }

    /// <summary>Parses and validates an architecture object, e.g. <c>model.json</c>'s <c>architecture</c> element.</summary>
    /// <exception cref="InvalidDataException">As <see cref="FromJson(string)"/>.</exception>
    public static EncoderArchitecture FromJson(JsonElement element) => FromJson(element.GetRawText());

    /// <summary>Reads and validates an architecture JSON file.</summary>
    public static EncoderArchitecture Load(string path) => FromJson(File.ReadAllText(path));

    /// <summary>The architecture as indented snake_case JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Checks that every value is in range and returns this instance.</summary>
    /// <exception cref="InvalidDataException">A value is out of range.</exception>
    public EncoderArchitecture Validated()
    {
        Positive(NMels, "n_mels");
        Positive(DModel, "d_model");
        Positive(NumLayers, "num_layers");
        Positive(NumHeads, "num_heads");
        Positive(FfDim, "ff_dim");
        Positive(ConvKernel, "conv_kernel");
        Positive(ChunkFrames, "chunk_frames");
        Positive(AdapterDim, "adapter_dim");
        Positive(VocabSize, "vocab_size");
        if (LeftContextFrames < 0)
        {
            throw new InvalidDataException($"Encoder architecture: left_context_frames is {LeftContextFrames}, it must not be negative.");
        }

        if (DModel % NumHeads != 0)
        {
            throw new InvalidDataException($"Encoder architecture: num_heads {NumHeads} does not divide d_model {DModel}.");
        }

        return this;
    }

    private static void Positive(int value, string key)
    {
        if (value <= 0)
        {
            throw new InvalidDataException($"Encoder architecture: {key} is {value}, it must be positive.");
        }
    }
}
