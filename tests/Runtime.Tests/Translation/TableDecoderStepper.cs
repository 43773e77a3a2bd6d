using SpeechServe.Runtime.Translation;

namespace SpeechServe.Runtime.Tests.Translation;

/// <summary>
/// A decoder given by a table: the next-token probabilities of each prefix (generated tokens as letters, <c>&lt;s&gt;</c>
/// left out). A prefix missing from the table ends: <c>&lt;/s&gt;</c> takes all but <see cref="Floor"/> of the mass.
/// Keeps one prefix per row and reorders the rows as a real decoder's cache would be.
/// </summary>
internal sealed class TableDecoderStepper(IReadOnlyDictionary<string, (char Token, double Probability)[]> table) : IDecoderStepper
{
    /// <summary>Tokens: the specials, then the letters a, b, c.</summary>
    public const int VocabularySize = 7;

    private const double Floor = 1e-6;

    private List<string> _prefixes = [];

    /// <summary>Steps run so far.</summary>
    public int Steps { get; private set; }

    /// <summary>The id of a letter token.</summary>
    public static int Id(char letter) => TranslationVocabulary.Unk + 1 + (letter - 'a');

    /// <summary>Token ids as letters.</summary>
    public static string Letters(IEnumerable<int> ids) => string.Concat(ids.Select(id => (char)('a' + id - Id('a'))));

    public ReadOnlySpan<float> Step(ReadOnlySpan<long> tokens, ReadOnlySpan<int> sourceRows)
    {
        var previous = _prefixes.Count == 0 ? [.. Enumerable.Repeat(string.Empty, tokens.Length)] : _prefixes;
        var prefixes = new List<string>(tokens.Length);
        for (var row = 0; row < tokens.Length; row++)
        {
            var token = (int)tokens[row];
            var extended = Steps == 0 ? string.Empty : previous[sourceRows[row]] + (token >= Id('a') ? Letters([token]) : "$");
            prefixes.Add(extended);
        }

        _prefixes = prefixes;
        Steps++;
        var logits = new float[tokens.Length * VocabularySize];
        for (var row = 0; row < tokens.Length; row++)
        {
            var probabilities = Enumerable.Repeat(Floor, VocabularySize).ToArray();
            if (table.TryGetValue(prefixes[row], out var next))
            {
                foreach (var (token, probability) in next)
                {
                    probabilities[token == '$' ? TranslationVocabulary.Eos : Id(token)] = probability;
                }
            }
            else
            {
                probabilities[TranslationVocabulary.Eos] = 1 - ((VocabularySize - 1) * Floor);
            }

            for (var v = 0; v < VocabularySize; v++)
            {
                logits[(row * VocabularySize) + v] = (float)Math.Log(probabilities[v]);
            }
        }

        return logits;
    }

    /// <summary>Runs <paramref name="searches"/> on a fresh table decoder and returns each result as letters.</summary>
    public static string[] Decode(IReadOnlyDictionary<string, (char Token, double Probability)[]> table, params TokenSearch[] searches)
    {
        LockstepDecoding.Run(searches, new TableDecoderStepper(table), VocabularySize);
        return [.. searches.Select(s => Letters(s.Tokens))];
    }
}
