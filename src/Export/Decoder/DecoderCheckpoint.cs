using System.Text.RegularExpressions;
using SpeechServe.Export.Checkpoints;
using SpeechServe.Export.Encoder;
using SpeechServe.Export.Repository;
using SpeechServe.Runtime.Translation;

namespace SpeechServe.Export.Decoder;

/// <summary>
/// A translation decoder as <c>training/train_translation.py</c> writes it: <c>decoder.safetensors</c> with
/// the weights and the metadata <c>decoder_config</c>, <c>vocabulary</c> and <c>domain</c>
/// (<c>translate-&lt;source language&gt;</c>), checked against its architecture.
/// </summary>
public sealed partial class DecoderCheckpoint
{
    /// <summary>Metadata key of the architecture JSON.</summary>
    public const string ConfigMetadataKey = "decoder_config";

    /// <summary>Metadata key of the vocabulary, tokens in id order separated by newlines.</summary>
    public const string VocabularyMetadataKey = "vocabulary";

    /// <summary>Metadata key of the domain, <c>translate-&lt;language&gt;</c>.</summary>
    public const string DomainMetadataKey = "domain";

    private DecoderCheckpoint(DecoderArchitecture architecture, TranslationVocabulary vocabulary, string domain, CheckpointWeights weights)
    {
        Architecture = architecture;
        Vocabulary = vocabulary;
        Domain = domain;
        Weights = weights;
    }

    /// <summary>The hyper-parameters.</summary>
    public DecoderArchitecture Architecture { get; }

    /// <summary>The output vocabulary; its size is <see cref="DecoderArchitecture.VocabSize"/>.</summary>
    public TranslationVocabulary Vocabulary { get; }

    /// <summary>The domain it was trained for, e.g. <c>translate-de</c>.</summary>
    public string Domain { get; }

    /// <summary>The source language: <see cref="Domain"/> without its <c>translate-</c> prefix.</summary>
    public string SourceLanguage => Domain["translate-".Length..];

    /// <summary>The weights, checked against <see cref="DecoderCheckpointSchema"/>.</summary>
    public CheckpointWeights Weights { get; }

    /// <summary>Reads and checks a decoder checkpoint.</summary>
    /// <param name="path">The <c>decoder.safetensors</c> file.</param>
    /// <exception cref="ExportException">The file is malformed, lacks metadata, or its tensors do not match its <c>decoder_config</c>.</exception>
    public static DecoderCheckpoint Read(string path)
    {
        var checkpoint = CheckpointLoader.Read(path, CheckpointFormat.Safetensors);
        var file = Path.GetFileName(path);
        var architecture = Parse(file, () => DecoderArchitecture.FromJson(Metadata(checkpoint, file, ConfigMetadataKey)));
        var vocabulary = Parse(file, () => TranslationVocabulary.Create(Metadata(checkpoint, file, VocabularyMetadataKey).Split('\n')));
        if (vocabulary.Count != architecture.VocabSize)
        {
            throw new ExportException($"{file}: the vocabulary metadata holds {vocabulary.Count} tokens but decoder_config has vocab_size {architecture.VocabSize}.");
        }

        var domain = Metadata(checkpoint, file, DomainMetadataKey);
        if (!TranslationDomain().IsMatch(domain))
        {
            throw new ExportException($"{file}: domain '{domain}' is not translate-<language> (e.g. translate-de).");
        }

        CheckpointLoader.Validate(checkpoint.Tensors, DecoderCheckpointSchema.For(architecture));
        return new DecoderCheckpoint(architecture, vocabulary, domain, CheckpointWeights.FromTensors(checkpoint.Tensors));
    }

    private static string Metadata(Checkpoint checkpoint, string file, string key) =>
        checkpoint.Metadata.TryGetValue(key, out var value)
            ? value
            : throw new ExportException($"{file} has no '{key}' metadata; is it a decoder.safetensors written by training/train_translation.py?");

    private static T Parse<T>(string file, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (InvalidDataException ex)
        {
            throw new ExportException($"{file}: {ex.Message}", ex);
        }
    }

    [GeneratedRegex("^translate-[a-z]{2,3}$", RegexOptions.CultureInvariant)]
    private static partial Regex TranslationDomain();
}
