using System.Text.RegularExpressions;
using SpeechServe.Runtime.Encoder;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Tensors;
using SpeechServe.Runtime.Translation;

namespace SpeechServe.Adapters.Packages;

/// <summary>
/// Reads an adapter package (<c>adapter_config.json</c> + <c>adapter_model.safetensors</c>, and
/// <c>decoder.onnx</c> + <c>decoder_cross.onnx</c> for translation) from a zip or a directory and checks it against the base model it
/// is meant for. Every refusal is an <see cref="AdapterPackageException"/> naming the rule that failed.
/// </summary>
public static partial class AdapterPackageReader
{
    /// <summary>Adapter names: lower-case letters, digits, <c>_</c> and <c>-</c>, starting with a letter or digit.</summary>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    /// <summary>Unpacks and checks an uploaded package zip.</summary>
    /// <param name="zip">The archive's bytes.</param>
    /// <param name="baseModel">The base model the adapter must fit.</param>
    /// <param name="expectedName">The name it is uploaded under, or null to take the config's.</param>
    /// <param name="limits">Caps on the archive; the defaults when null.</param>
    /// <exception cref="AdapterPackageException">A rule failed; nothing was stored.</exception>
    public static ValidatedAdapterPackage ReadZip(byte[] zip, ModelManifest baseModel, string? expectedName = null, AdapterPackageLimits? limits = null)
    {
        var files = AdapterZipReader.Read(zip, limits);
        return new ValidatedAdapterPackage(Check(files, baseModel, expectedName), files);
    }

    /// <summary>Reads the package in <paramref name="directory"/> for <paramref name="baseModel"/>.</summary>
    /// <exception cref="AdapterPackageException">The package is malformed or made for another base model; the message says which rule failed.</exception>
    public static LoadedAdapterPackage ReadDirectory(string directory, ModelManifest baseModel)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in AdapterPackageFiles.All)
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path))
            {
                files[name] = File.ReadAllBytes(path);
            }
        }

        return Check(files, baseModel, null);
    }

    /// <summary>Checks a package's files against <paramref name="baseModel"/> and builds its weights.</summary>
    /// <exception cref="AdapterPackageException">A rule failed.</exception>
    public static LoadedAdapterPackage Check(IReadOnlyDictionary<string, byte[]> files, ModelManifest baseModel, string? expectedName)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(baseModel);
        var config = ReadConfig(files);
        CheckConfig(config, files, baseModel, expectedName);
        if (!files.TryGetValue(AdapterConfig.WeightsFileName, out var weightsFile))
        {
            throw new AdapterPackageException(AdapterPackageRules.MissingWeights, $"the package has no {AdapterConfig.WeightsFileName}.");
        }

        var weights = ReadWeights(weightsFile, config.Name, baseModel.Architecture);
        return new LoadedAdapterPackage(config, config.Translation is null ? weights : weights.WithTranslation(ReadTranslation(config, config.Translation, files)));
    }

    private static AdapterConfig ReadConfig(IReadOnlyDictionary<string, byte[]> files)
    {
        if (!files.TryGetValue(AdapterConfig.FileName, out var json))
        {
            throw new AdapterPackageException(AdapterPackageRules.MissingConfig, $"the package has no {AdapterConfig.FileName}.");
        }

        try
        {
            return AdapterConfig.Parse(json);
        }
        catch (InvalidDataException ex)
        {
            throw new AdapterPackageException(AdapterPackageRules.Config, ex.Message, ex);
        }
    }

    private static void CheckConfig(AdapterConfig config, IReadOnlyDictionary<string, byte[]> files, ModelManifest baseModel, string? expectedName)
    {
        if (config.Name is null || !IsValidName(config.Name))
        {
            throw new AdapterPackageException(AdapterPackageRules.Name, $"adapter name '{config.Name}' must match [a-z0-9][a-z0-9_-]{{0,63}}.");
        }

        if (expectedName is not null && expectedName != config.Name)
        {
            throw new AdapterPackageException(
                AdapterPackageRules.NameMismatch, $"the package is adapter '{config.Name}' but was uploaded as '{expectedName}'; export it with --name {expectedName}.");
        }

        if (config.Kind is not ("asr" or "translation"))
        {
            throw new AdapterPackageException(AdapterPackageRules.Kind, $"kind '{config.Kind}' is not 'asr' or 'translation'.");
        }

        CheckTranslationFiles(config, files);

        if (!string.Equals(config.BaseSha256, baseModel.BaseSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new AdapterPackageException(
                AdapterPackageRules.BaseModel,
                $"adapter '{config.Name}' was trained on base model {config.BaseModel} ({config.BaseSha256}), not on {baseModel.Id} ({baseModel.BaseSha256}).");
        }

        var architecture = baseModel.Architecture;
        if (config.BottleneckSize != architecture.AdapterDim || config.Layers != architecture.NumLayers)
        {
            throw new AdapterPackageException(
                AdapterPackageRules.BaseShape,
                $"adapter '{config.Name}' has bottleneck {config.BottleneckSize} over {config.Layers} layers; {baseModel.Id} needs {architecture.AdapterDim} over {architecture.NumLayers}.");
        }
    }

    private static void CheckTranslationFiles(AdapterConfig config, IReadOnlyDictionary<string, byte[]> files)
    {
        var translation = config.Kind == "translation";
        foreach (var graph in AdapterPackageFiles.Translation)
        {
            var present = files.TryGetValue(graph, out var content);
            if (present != translation)
            {
                throw new AdapterPackageException(
                    AdapterPackageRules.Decoder,
                    present
                        ? $"{graph} is only allowed in translation adapters; this one is '{config.Kind}'."
                        : $"a translation adapter needs {graph}.");
            }

            if (present && content!.Length == 0)
            {
                throw new AdapterPackageException(AdapterPackageRules.Decoder, $"{graph} is empty.");
            }
        }

        if ((config.Translation is not null) != translation)
        {
            throw new AdapterPackageException(
                AdapterPackageRules.Translation,
                translation
                    ? $"a translation adapter needs a 'translation' section in {AdapterConfig.FileName}."
                    : $"the 'translation' section of {AdapterConfig.FileName} is only allowed in translation adapters; this one is '{config.Kind}'.");
        }
    }

    // The graphs' own signatures are checked by the runtime when it creates their sessions.
    private static TranslationHead ReadTranslation(AdapterConfig config, AdapterTranslationConfig translation, IReadOnlyDictionary<string, byte[]> files)
    {
        if (string.IsNullOrWhiteSpace(translation.TargetLanguage) || translation.MaxPositions <= 0)
        {
            throw new AdapterPackageException(
                AdapterPackageRules.Translation,
                $"adapter '{config.Name}': translation.target_language must be set and translation.max_positions positive (found '{translation.TargetLanguage}', {translation.MaxPositions}).");
        }

        TranslationVocabulary vocabulary;
        try
        {
            vocabulary = TranslationVocabulary.Create(translation.Vocabulary ?? []);
        }
        catch (InvalidDataException ex)
        {
            throw new AdapterPackageException(AdapterPackageRules.Translation, $"adapter '{config.Name}': translation.vocabulary: {ex.Message}", ex);
        }

        return new TranslationHead(files[AdapterPackageFiles.DecoderCross], files[AdapterPackageFiles.Decoder], vocabulary, translation.MaxPositions, translation.TargetLanguage);
    }

    private static AdapterWeights ReadWeights(byte[] file, string name, EncoderArchitecture architecture)
    {
        TensorMap tensors;
        try
        {
            tensors = SafetensorsReader.Read(file, new CheckpointReadOptions { MaxFileBytes = file.Length }).Tensors;
        }
        catch (Exception ex) when (ex is CheckpointFormatException or InvalidDataException)
        {
            throw new AdapterPackageException(AdapterPackageRules.WeightsFormat, $"{AdapterConfig.WeightsFileName}: {ex.Message}", ex);
        }

        var prefix = $"adapters.{name}.";
        foreach (var tensor in tensors)
        {
            if (!tensor.Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                throw new AdapterPackageException(AdapterPackageRules.UnexpectedTensor, $"tensor '{tensor.Name}' is not part of adapter '{name}' ({prefix}*).");
            }

            if (tensor.DType.IsFloatingPoint() && tensor.IndexOfNonFinite() is var bad and >= 0)
            {
                throw new AdapterPackageException(AdapterPackageRules.NonFinite, $"tensor '{tensor.Name}' holds a NaN or infinity at element {bad}.");
            }
        }

        try
        {
            return AdapterWeightsReader.ReadDomain(architecture, tensors, name);
        }
        catch (InvalidDataException ex)
        {
            throw new AdapterPackageException(AdapterPackageRules.TensorShape, ex.Message, ex);
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}

/// <summary>An adapter package read and checked.</summary>
/// <param name="Config">Its <c>adapter_config.json</c>.</param>
/// <param name="Weights">Its adapter and head in the encoder's input layout.</param>
public sealed record LoadedAdapterPackage(AdapterConfig Config, AdapterWeights Weights);

/// <summary>An uploaded package that passed every check, with the files to store.</summary>
/// <param name="Package">The config and weights.</param>
/// <param name="Files">The package's files by name.</param>
public sealed record ValidatedAdapterPackage(LoadedAdapterPackage Package, IReadOnlyDictionary<string, byte[]> Files);
