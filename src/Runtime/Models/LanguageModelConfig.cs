using SpeechServe.Runtime.Decoding;

namespace SpeechServe.Runtime.Models;

/// <summary>
/// The <c>language_model</c> section of model.json (docs/decoding.md): a word n-gram model in ARPA format
/// that the server decodes with, through the lexicon-constrained CTC beam search.
/// </summary>
public sealed record LanguageModelConfig
{
    /// <summary>The ARPA file, relative to the repository directory; it must be listed in <c>files</c>.</summary>
    public required string File { get; init; }

    /// <summary>Scales the language model's natural-log probabilities against the acoustic ones (at least 0).</summary>
    public required double Weight { get; init; }

    /// <summary>Added per word; it counters the language model's preference for fewer words.</summary>
    public required double WordBonus { get; init; }

    /// <summary>Prefixes kept after each frame (at least 1).</summary>
    public required int BeamWidth { get; init; }

    /// <summary>
    /// <c>unknown_words</c>: the unknown-word path (words outside the lexicon, scored as <c>&lt;unk&gt;</c> less
    /// a penalty); absent, only lexicon words are produced.
    /// </summary>
    public UnknownWordOptions? UnknownWords { get; init; }

    /// <summary>Checks the values against <paramref name="files"/>, the manifest's file hashes.</summary>
    /// <exception cref="InvalidDataException">A value is out of range or the file is not listed; the message says which.</exception>
    public LanguageModelConfig Validated(IReadOnlyDictionary<string, string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (string.IsNullOrWhiteSpace(File))
        {
            throw new InvalidDataException("model.json: language_model.file is empty; it names the ARPA file.");
        }

        if (!files.ContainsKey(File))
        {
            throw new InvalidDataException($"model.json: language_model.file '{File}' is not listed in files with its SHA-256; re-export the model repository.");
        }

        if (!(Weight >= 0) || double.IsPositiveInfinity(Weight))
        {
            throw new InvalidDataException($"model.json: language_model.weight is {Weight}; it must be a finite number of at least 0.");
        }

        if (!double.IsFinite(WordBonus))
        {
            throw new InvalidDataException($"model.json: language_model.word_bonus is {WordBonus}; it must be a finite number.");
        }

        if (BeamWidth < 1)
        {
            throw new InvalidDataException($"model.json: language_model.beam_width is {BeamWidth}; it must be at least 1.");
        }

        if (UnknownWords is { } unknown && (!(unknown.Penalty >= 0) || double.IsPositiveInfinity(unknown.Penalty)))
        {
            throw new InvalidDataException($"model.json: language_model.unknown_words.penalty is {unknown.Penalty}; it must be a finite number of at least 0.");
        }

        if (UnknownWords is { } fallback && (!(fallback.UnknownLog10Probability <= 0) || double.IsNegativeInfinity(fallback.UnknownLog10Probability)))
        {
            throw new InvalidDataException($"model.json: language_model.unknown_words.unknown_log10_probability is {fallback.UnknownLog10Probability}; it must be a finite number of at most 0.");
        }

        return this;
    }
}
