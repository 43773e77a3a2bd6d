namespace SpeechServe.Runtime.Decoding;

/// <summary>
/// The words a <see cref="LexiconBeamSearch"/> may produce, as a trie over token ids: the 1-grams of the
/// language model except <c>&lt;s&gt;</c>, <c>&lt;/s&gt;</c> and <c>&lt;unk&gt;</c> whose characters (Unicode
/// scalar values) are each a token of the vocabulary other than the blank and the word boundary. Words are
/// matched as written: no case folding. Words longer than <see cref="MaxWordLength"/> characters are left out.
/// </summary>
public sealed class Lexicon
{
    /// <summary>The longest word kept, in characters (it bounds the depth of the trie).</summary>
    public const int MaxWordLength = 256;

    private Lexicon(LexiconNode root, int wordCount)
    {
        Root = root;
        WordCount = wordCount;
    }

    /// <summary>The empty partial word.</summary>
    public LexiconNode Root { get; }

    /// <summary>How many words the lexicon holds.</summary>
    public int WordCount { get; }

    /// <summary>The lexicon of <paramref name="languageModel"/> over <paramref name="vocabulary"/>.</summary>
    public static Lexicon Build(NgramLanguageModel languageModel, TokenVocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(languageModel);
        ArgumentNullException.ThrowIfNull(vocabulary);
        var root = new LexiconNode.Builder();
        var count = 0;
        var tokens = new List<int>();
        for (var wordId = 0; wordId < languageModel.Words.Count; wordId++)
        {
            var word = languageModel.Words[wordId];
            if (word is NgramLanguageModel.SentenceStart or NgramLanguageModel.SentenceEnd or NgramLanguageModel.Unknown
                || !TrySpell(word, vocabulary, tokens))
            {
                continue;
            }

            var node = root;
            foreach (var token in tokens)
            {
                node = node.Child(token);
            }

            node.WordId = wordId;
            count++;
        }

        return new Lexicon(root.Build(), count);
    }

    private static bool TrySpell(string word, TokenVocabulary vocabulary, List<int> tokens)
    {
        tokens.Clear();
        foreach (var character in word.EnumerateRunes())
        {
            if (!vocabulary.TryGetId(character.ToString(), out var id) || id == vocabulary.BlankId || id == vocabulary.WordBoundaryId)
            {
                return false;
            }

            tokens.Add(id);
        }

        return tokens.Count is > 0 and <= MaxWordLength;
    }
}

/// <summary>A partial word of the <see cref="Lexicon"/>: the tokens that may follow it and the word it completes, if any.</summary>
public sealed class LexiconNode
{
    private readonly int[] _tokens;
    private readonly LexiconNode[] _next;

    private LexiconNode(int[] tokens, LexiconNode[] next, int wordId)
    {
        _tokens = tokens;
        _next = next;
        WordId = wordId;
    }

    /// <summary>
    /// A partial word that no lexicon word begins with: it continues no word and is no word. Only the unknown-word
    /// path reaches it (docs/decoding.md).
    /// </summary>
    public static LexiconNode OutOfLexicon { get; } = new([], [], -1);

    /// <summary>The language-model word id this partial word spells, or -1 when it is not a word.</summary>
    public int WordId { get; }

    /// <summary>Whether this partial word is a lexicon word.</summary>
    public bool IsWord => WordId >= 0;

    /// <summary>The tokens that continue this partial word towards some lexicon word, ascending.</summary>
    public ReadOnlySpan<int> NextTokens => _tokens;

    /// <summary>The partial word after <see cref="NextTokens"/>[<paramref name="index"/>].</summary>
    public LexiconNode Next(int index) => _next[index];

    /// <summary>The partial word after <paramref name="token"/>: <see cref="OutOfLexicon"/> when it begins no lexicon word.</summary>
    public LexiconNode After(int token)
    {
        var index = Array.BinarySearch(_tokens, token);
        return index >= 0 ? _next[index] : OutOfLexicon;
    }

    internal sealed class Builder
    {
        private readonly SortedDictionary<int, Builder> _children = [];

        public int WordId { get; set; } = -1;

        public Builder Child(int token)
        {
            if (!_children.TryGetValue(token, out var child))
            {
                child = new Builder();
                _children.Add(token, child);
            }

            return child;
        }

        public LexiconNode Build() => new([.. _children.Keys], [.. _children.Values.Select(c => c.Build())], WordId);
    }
}
