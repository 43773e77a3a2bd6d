namespace SpeechServe.Runtime.Translation;

/// <summary>
/// The word-level output vocabulary of a translation decoder (docs/model.md, "Vocabulary and checkpoint"):
/// <c>&lt;pad&gt;</c>, <c>&lt;s&gt;</c>, <c>&lt;/s&gt;</c>, <c>&lt;unk&gt;</c>, then the words; id = position.
/// </summary>
public sealed class TranslationVocabulary
{
    /// <summary>Padding.</summary>
    public const int Pad = 0;

    /// <summary>Start of sequence: the first input token of every decoding.</summary>
    public const int Bos = 1;

    /// <summary>End of sequence: decoding of an element stops when it is produced.</summary>
    public const int Eos = 2;

    /// <summary>A word outside the vocabulary.</summary>
    public const int Unk = 3;

    private static readonly string[] SpecialTokens = ["<pad>", "<s>", "</s>", "<unk>"];

    private readonly string[] _tokens;

    private TranslationVocabulary(string[] tokens) => _tokens = tokens;

    /// <summary>Number of tokens, the decoder's output size.</summary>
    public int Count => _tokens.Length;

    /// <summary>The tokens in id order.</summary>
    public IReadOnlyList<string> Tokens => _tokens;

    /// <summary>Builds a vocabulary from its tokens in id order.</summary>
    /// <exception cref="InvalidDataException">The special tokens are not first, or a token is empty, repeated or holds white space.</exception>
    public static TranslationVocabulary Create(IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.Count <= SpecialTokens.Length || !tokens.Take(SpecialTokens.Length).SequenceEqual(SpecialTokens))
        {
            throw new InvalidDataException($"a translation vocabulary starts with {string.Join(" ", SpecialTokens)} and holds at least one word.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in tokens)
        {
            if (string.IsNullOrEmpty(token) || token.Any(char.IsWhiteSpace) || !seen.Add(token))
            {
                throw new InvalidDataException($"translation vocabulary token '{token}' is empty, holds white space or is repeated.");
            }
        }

        return new TranslationVocabulary([.. tokens]);
    }

    /// <summary>The text of a token sequence: words up to the first <c>&lt;/s&gt;</c>, specials dropped, single spaces.</summary>
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var words = new List<string>();
        foreach (var id in ids)
        {
            if (id == Eos)
            {
                break;
            }

            if (id >= SpecialTokens.Length && id < _tokens.Length)
            {
                words.Add(_tokens[id]);
            }
        }

        return string.Join(' ', words);
    }
}
