using System.Text;
using SpeechServe.Runtime.Decoding;

namespace SpeechServe.Export.Adaptation;

/// <summary>
/// Turns a user's transcription into the model's text form (docs/model.md, "Vocabulary"): lower case,
/// punctuation other than the apostrophe read as a word break, typographic apostrophes as <c>'</c>, words
/// separated by single spaces. Characters the vocabulary cannot spell (digits, accented letters) are refused,
/// not dropped, so a transcription never silently loses words.
/// </summary>
public sealed class TranscriptNormalizer(TokenVocabulary vocabulary)
{
    /// <summary>The normalised text, or null with the reason in <paramref name="problem"/>.</summary>
    public string? Normalize(string transcription, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(transcription);
        var text = new StringBuilder(transcription.Length);
        var unknown = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var rune in transcription.Normalize(NormalizationForm.FormC).ToLowerInvariant().EnumerateRunes())
        {
            var symbol = rune.ToString();
            if (symbol is "\u2019" or "\u2018" or "`")
            {
                text.Append('\'');
            }
            else if (Rune.IsWhiteSpace(rune) || (Rune.IsPunctuation(rune) && symbol != "'") || Rune.IsSymbol(rune))
            {
                text.Append(' ');
            }
            else if (vocabulary.TryGetId(symbol, out _))
            {
                text.Append(symbol);
            }
            else
            {
                unknown.Add(Rune.IsControl(rune) ? $"U+{rune.Value:X4}" : symbol);
            }
        }

        var normalized = string.Join(' ', text.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
        problem = unknown.Count > 0
            ? $"the transcription has characters the model's vocabulary cannot spell: {string.Join(' ', unknown.Select(c => $"'{c}'"))} (write numbers and symbols as words)."
            : normalized.Replace("'", string.Empty, StringComparison.Ordinal).Length == 0
                ? "the transcription is empty."
                : null;
        return problem is null ? normalized : null;
    }

    /// <summary>Tokens CTC must emit for <paramref name="normalized"/>: its characters plus a boundary between words.</summary>
    public static int TokenCount(string normalized) => normalized.Length;
}
