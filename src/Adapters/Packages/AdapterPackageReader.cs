using System.Text.RegularExpressions;
using SpeechServe.Runtime.Encoder;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Adapters.Packages;

/// <summary>
/// Reads an unpacked adapter package (<c>adapter_config.json</c> + <c>adapter_model.safetensors</c>) and
/// checks it against the base model it is meant for.
/// </summary>
public static partial class AdapterPackageReader
{
    /// <summary>Adapter names: lower-case letters, digits, <c>_</c> and <c>-</c>, starting with a letter or digit.</summary>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    /// <summary>Reads the package in <paramref name="directory"/> for <paramref name="baseModel"/>.</summary>
    /// <exception cref="InvalidDataException">The package is malformed or made for another base model; the message says which rule failed.</exception>
    public static LoadedAdapterPackage ReadDirectory(string directory, ModelManifest baseModel)
    {
        ArgumentNullException.ThrowIfNull(baseModel);
        var config = AdapterConfig.Parse(File.ReadAllBytes(Path.Combine(directory, AdapterConfig.FileName)));
        if (!IsValidName(config.Name))
        {
            throw new InvalidDataException($"adapter name '{config.Name}' must match [a-z0-9][a-z0-9_-]{{0,63}}.");
        }

        if (!string.Equals(config.BaseSha256, baseModel.BaseSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException(
                $"adapter '{config.Name}' was trained on base model {config.BaseModel} ({config.BaseSha256}), not on {baseModel.Id} ({baseModel.BaseSha256}).");
        }

        var architecture = baseModel.Architecture;
        if (config.BottleneckSize != architecture.AdapterDim || config.Layers != architecture.NumLayers)
        {
            throw new InvalidDataException(
                $"adapter '{config.Name}' has bottleneck {config.BottleneckSize} over {config.Layers} layers; {baseModel.Id} needs {architecture.AdapterDim} over {architecture.NumLayers}.");
        }

        var tensors = SafetensorsReader.ReadFile(Path.Combine(directory, AdapterConfig.WeightsFileName)).Tensors;
        return new LoadedAdapterPackage(config, AdapterWeightsReader.ReadDomain(architecture, tensors, config.Name));
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}

/// <summary>An adapter package read from disk and checked.</summary>
/// <param name="Config">Its <c>adapter_config.json</c>.</param>
/// <param name="Weights">Its adapter and head in the encoder's input layout.</param>
public sealed record LoadedAdapterPackage(AdapterConfig Config, AdapterWeights Weights);
