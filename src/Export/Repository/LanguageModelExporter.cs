using SpeechServe.Runtime.Decoding;
using SpeechServe.Runtime.Models;

namespace SpeechServe.Export.Repository;

/// <summary>
/// Checks a language model for an export the way the server will load it (the ARPA file parses, its lexicon
/// over the model's vocabulary is not empty, the settings are in range) and copies it into the repository.
/// </summary>
public static class LanguageModelExporter
{
    /// <summary>Checks <paramref name="export"/> against the repository's <paramref name="tokens"/>.</summary>
    /// <returns>The manifest section to write.</returns>
    /// <exception cref="ExportException">The file is missing or malformed, or a setting is out of range; the message says which.</exception>
    public static LanguageModelConfig Check(LanguageModelExport export, IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(export);
        ArgumentNullException.ThrowIfNull(tokens);
        var name = Path.GetFileName(export.Path);
        if (!File.Exists(export.Path))
        {
            throw new ExportException($"--language-model {export.Path}: no such file.");
        }

        if (!(export.Weight >= 0) || double.IsPositiveInfinity(export.Weight))
        {
            throw new ExportException($"--lm-weight {export.Weight}: the weight must be a finite number of at least 0.");
        }

        if (!double.IsFinite(export.WordBonus))
        {
            throw new ExportException($"--word-bonus {export.WordBonus}: the bonus must be a finite number.");
        }

        if (export.BeamWidth < 1)
        {
            throw new ExportException($"--lm-beam-width {export.BeamWidth}: the beam width must be at least 1.");
        }

        if (export.UnknownWords is { } unknown && (!(unknown.Penalty >= 0) || double.IsPositiveInfinity(unknown.Penalty)))
        {
            throw new ExportException($"--oov-penalty {unknown.Penalty}: the penalty must be a finite number of at least 0.");
        }

        if (export.UnknownWords is { } fallback && (!(fallback.UnknownLog10Probability <= 0) || double.IsNegativeInfinity(fallback.UnknownLog10Probability)))
        {
            throw new ExportException($"--unknown-log10-prob {fallback.UnknownLog10Probability}: the log10 probability must be a finite number of at most 0.");
        }

        try
        {
            // What the server does on load: the lexicon must hold at least one word the model can spell.
            _ = new LexiconLanguageModel(ArpaReader.Load(export.Path), TokenVocabulary.FromTokens(tokens), export.Weight, export.WordBonus, export.UnknownWords);
        }
        catch (InvalidDataException ex)
        {
            throw new ExportException($"--language-model {name}: {ex.Message}", ex);
        }

        var config = new LanguageModelConfig
        {
            File = FileName(export),
            Weight = export.Weight,
            WordBonus = export.WordBonus,
            BeamWidth = export.BeamWidth,
            UnknownWords = export.UnknownWords,
        };
        return config;
    }

    /// <summary>Copies the ARPA file into <paramref name="staging"/> as <c>lm.arpa</c>, or <c>lm.arpa.gz</c> when it is compressed.</summary>
    public static void Copy(LanguageModelExport export, StagingDirectory staging)
    {
        ArgumentNullException.ThrowIfNull(export);
        ArgumentNullException.ThrowIfNull(staging);
        File.Copy(export.Path, staging.File(FileName(export)));
    }

    /// <summary>The language model's name in the repository.</summary>
    public static string FileName(LanguageModelExport export) =>
        ArpaReader.IsCompressed(export.Path) ? RepositoryLayout.CompressedLanguageModel : RepositoryLayout.LanguageModel;
}
