using System.Security.Cryptography;
using SpeechServe.Runtime.Decoding;
using SpeechServe.Runtime.Encoder;
using SpeechServe.Runtime.Onnx;
using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Runtime.Models;

/// <summary>
/// A base model loaded from its repository directory (DESIGN.md, "Model repository"): the manifest, the
/// vocabulary, the encoder session (loaded once, shared by every adapter), the base model's own head and,
/// when the repository has one, the word language model decoding uses.
/// </summary>
public sealed class SpeechModel : IDisposable
{
    private SpeechModel(
        string directory, ModelManifest manifest, TokenVocabulary vocabulary, EncoderSession encoder, AdapterWeights baseAdapter, LexiconBeamSearch? lexiconSearch)
    {
        LexiconSearch = lexiconSearch;
        Directory = directory;
        Manifest = manifest;
        Vocabulary = vocabulary;
        Encoder = encoder;
        BaseAdapter = baseAdapter;
    }

    /// <summary>The repository directory.</summary>
    public string Directory { get; }

    /// <summary>The model's <c>model.json</c>.</summary>
    public ModelManifest Manifest { get; }

    /// <summary>The model id clients pass as <c>model</c>.</summary>
    public string Id => Manifest.Id;

    /// <summary>The CTC vocabulary.</summary>
    public TokenVocabulary Vocabulary { get; }

    /// <summary>The encoder session.</summary>
    public EncoderSession Encoder { get; }

    /// <summary>Identity adapters with the base head: what a request for the base model runs with.</summary>
    public AdapterWeights BaseAdapter { get; }

    /// <summary>
    /// The lexicon-constrained beam search over the repository's language model (docs/decoding.md), or null
    /// when it has none or it was not loaded.
    /// </summary>
    public LexiconBeamSearch? LexiconSearch { get; }

    /// <summary>
    /// Loads the repository in <paramref name="directory"/>, checking every file against the SHA-256 in
    /// its manifest.
    /// </summary>
    /// <param name="directory">The repository directory, holding model.json.</param>
    /// <param name="sessions">Creates the encoder session.</param>
    /// <param name="executionProvider">The provider to run the encoder on (CUDA falls back to the CPU where it cannot load).</param>
    /// <param name="useInt8">Load the int8 encoder when the repository has one.</param>
    /// <param name="useLanguageModel">Load the language model when the repository has one.</param>
    /// <exception cref="InvalidDataException">A file is missing, damaged or inconsistent; the message names it.</exception>
    public static SpeechModel Load(
        string directory, OnnxSessionFactory sessions, OnnxExecutionProvider executionProvider = OnnxExecutionProvider.Cpu, bool useInt8 = false, bool useLanguageModel = true)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        var manifest = ModelManifest.Parse(File.ReadAllBytes(Path.Combine(directory, "model.json")));
        foreach (var (file, expected) in manifest.Files)
        {
            VerifyHash(directory, file, expected);
        }

        var vocabulary = TokenVocabulary.Load(Path.Combine(directory, manifest.Vocabulary));
        var head = SafetensorsReader.ReadFile(Path.Combine(directory, manifest.BaseHead)).Tensors;
        var baseAdapter = AdapterWeightsReader.ReadBase(manifest.Architecture, head);
        var lexiconSearch = useLanguageModel && manifest.LanguageModel is { } lm ? LoadLexiconSearch(directory, lm, vocabulary) : null;
        var encoderFile = useInt8 && manifest.EncoderInt8 is not null ? manifest.EncoderInt8 : manifest.Encoder;
        var session = sessions.Create(Path.Combine(directory, encoderFile), executionProvider, out var provider);
        return new SpeechModel(directory, manifest, vocabulary, new EncoderSession(session, manifest.Architecture, provider), baseAdapter, lexiconSearch);
    }

    /// <inheritdoc />
    public void Dispose() => Encoder.Dispose();

    private static LexiconBeamSearch LoadLexiconSearch(string directory, LanguageModelConfig config, TokenVocabulary vocabulary)
    {
        var ngrams = ArpaReader.Load(Path.Combine(directory, config.File));
        try
        {
            return new LexiconBeamSearch(new LexiconLanguageModel(ngrams, vocabulary, config.Weight, config.WordBonus, config.UnknownWords), config.BeamWidth);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"{Path.Combine(directory, config.File)}: {ex.Message}", ex);
        }
    }

    private static void VerifyHash(string directory, string file, string expected)
    {
        var path = Path.Combine(directory, file);
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{path} is listed in model.json but missing; re-export the model repository.");
        }

        using var stream = File.OpenRead(path);
        var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"{path} has SHA-256 {actual} but model.json says {expected}: the file is damaged; re-export the model repository.");
        }
    }
}
