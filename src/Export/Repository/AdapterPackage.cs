using Google.Protobuf;
using SpeechServe.Export.Decoder;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Export.Repository;

/// <summary>
/// The files of an adapter package: <c>adapter_config.json</c> bound to a base model,
/// <c>adapter_model.safetensors</c> with the adapter's <c>adapters.{name}.*</c> tensors in the
/// checkpoint layout (PyTorch <c>[out, in]</c> Linear weights), and for a translation adapter the two
/// decoder graphs.
/// </summary>
/// <param name="Config">The config.</param>
/// <param name="Weights">The safetensors file's bytes.</param>
public sealed record AdapterPackage(AdapterConfig Config, byte[] Weights)
{
    /// <summary>The kind of a package with an attention decoder.</summary>
    public const string TranslationKind = "translation";

    /// <summary>The language translation output is in: the decoder vocabulary's (docs/model.md, "Vocabulary and checkpoint").</summary>
    public const string TargetLanguage = "en";

    /// <summary><c>decoder.onnx</c> and <c>decoder_cross.onnx</c> of a translation package; empty otherwise.</summary>
    public IReadOnlyDictionary<string, byte[]> DecoderGraphs { get; init; } = new Dictionary<string, byte[]>();

    /// <summary>Every file of the package, the config first.</summary>
    public IEnumerable<(string Name, byte[] Content)> Files =>
        new[] { (AdapterConfig.FileName, Config.ToJsonBytes()), (AdapterConfig.WeightsFileName, Weights) }
            .Concat(DecoderGraphs.Select(g => (g.Key, g.Value)));

    /// <summary>
    /// This package as a translation adapter with <paramref name="decoder"/>: kind <c>translation</c>, the source
    /// language of the decoder's domain, its <c>translation</c> section, and both decoder graphs.
    /// </summary>
    /// <param name="decoder">A checked decoder checkpoint.</param>
    /// <param name="producerVersion">The exporter's version, written into the graphs.</param>
    public AdapterPackage WithDecoder(DecoderCheckpoint decoder, string producerVersion)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        var config = Config with
        {
            Kind = TranslationKind,
            Language = decoder.SourceLanguage,
            Translation = new AdapterTranslationConfig
            {
                TargetLanguage = TargetLanguage,
                MaxPositions = decoder.Architecture.MaxPositions,
                Vocabulary = decoder.Vocabulary.Tokens,
            },
        };
        var graphs = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [AdapterConfig.DecoderFileName] = DecoderStepGraph.Build(decoder, producerVersion).ToByteArray(),
            [AdapterConfig.DecoderCrossFileName] = DecoderCrossGraph.Build(decoder, producerVersion).ToByteArray(),
        };
        return this with { Config = config, DecoderGraphs = graphs };
    }

    /// <summary>
    /// Packs domain <paramref name="domain"/> of a validated checkpoint as adapter <paramref name="name"/>
    /// (tensors renamed from <c>adapters.{domain}.</c> to <c>adapters.{name}.</c>).
    /// </summary>
    public static AdapterPackage Create(
        TensorMap tensors, string domain, string name, EncoderArchitecture architecture, string baseModelId, string baseSha256)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(architecture);
        CheckpointLoader.RequireAdapterName(name);
        var from = $"adapters.{domain}.";
        var to = $"adapters.{name}.";
        var selected = tensors
            .Where(t => t.Name.StartsWith(from, StringComparison.Ordinal))
            .Select(t => t.WithName(to + t.Name[from.Length..]))
            .ToList();
        var config = new AdapterConfig
        {
            Name = name,
            BaseModel = baseModelId,
            BaseSha256 = baseSha256,
            BottleneckSize = architecture.AdapterDim,
            Layers = architecture.NumLayers,
        };
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["adapter"] = name, ["base_sha256"] = baseSha256 };
        return new AdapterPackage(config, SafetensorsWriter.WriteToArray(selected, metadata));
    }
}
