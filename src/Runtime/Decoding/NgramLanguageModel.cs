namespace SpeechServe.Runtime.Decoding;

/// <summary>
/// A word n-gram model with back-off (read by <see cref="ArpaReader"/>), scores in natural logarithms.
/// <c>P(w | context)</c>: the longest n-gram <c>context + w</c> present gives its probability; otherwise the
/// back-off weight of <c>context</c> (0 if absent) plus <c>P(w | context without its oldest word)</c>.
/// N-grams are nodes of a trie keyed by (parent node, word id); node 0 is the empty n-gram. A node can exist
/// without being an n-gram of the file (the prefix of one that the file lacks): it has no probability and a
/// back-off weight of 0.
/// </summary>
public sealed class NgramLanguageModel
{
    /// <summary>The sentence-start word.</summary>
    public const string SentenceStart = "<s>";

    /// <summary>The sentence-end word.</summary>
    public const string SentenceEnd = "</s>";

    /// <summary>The unknown word.</summary>
    public const string Unknown = "<unk>";

    private const int Root = 0;

    private readonly string[] _words;
    private readonly Dictionary<string, int> _wordIds;
    private readonly Dictionary<long, int> _children;
    private readonly double[] _logProbs;
    private readonly double[] _backOffs;

    internal NgramLanguageModel(int order, string[] words, Dictionary<long, int> children, double[] logProbs, double[] backOffs)
    {
        Order = order;
        _words = words;
        _wordIds = new Dictionary<string, int>(words.Length, StringComparer.Ordinal);
        for (var id = 0; id < words.Length; id++)
        {
            _wordIds.Add(words[id], id);
        }

        _children = children;
        _logProbs = logProbs;
        _backOffs = backOffs;
        SentenceStartId = _wordIds[SentenceStart];
        SentenceEndId = _wordIds[SentenceEnd];
    }

    /// <summary>The highest n-gram order N.</summary>
    public int Order { get; }

    /// <summary>The words with a 1-gram, by word id.</summary>
    public IReadOnlyList<string> Words => _words;

    /// <summary>The id of <see cref="SentenceStart"/>.</summary>
    public int SentenceStartId { get; }

    /// <summary>The id of <see cref="SentenceEnd"/>.</summary>
    public int SentenceEndId { get; }

    /// <summary>The id of <paramref name="word"/>, if it has a 1-gram.</summary>
    public bool TryGetWordId(string word, out int id) => _wordIds.TryGetValue(word, out id);

    /// <summary>
    /// <c>ln P(word | context)</c>, <paramref name="context"/> oldest word first (any length; only its last
    /// N-1 words can matter).
    /// </summary>
    public double LogProbability(ReadOnlySpan<int> context, int word)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(word);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(word, _words.Length);
        if (context.Length > Order - 1)
        {
            context = context[^(Order - 1)..];
        }

        double backOff = 0;
        for (var start = 0; ; start++)
        {
            var contextNode = Find(context[start..]);
            var node = contextNode < 0 ? -1 : Child(contextNode, word);
            if (node >= 0 && !double.IsNaN(_logProbs[node]))
            {
                return backOff + _logProbs[node];
            }

            if (start == context.Length)
            {
                // Unreachable for a word id: every word has a 1-gram.
                return double.NegativeInfinity;
            }

            if (contextNode >= 0)
            {
                backOff += _backOffs[contextNode];
            }
        }
    }

    internal static long Key(int parent, int word) => ((long)parent << 32) | (uint)word;

    private int Find(ReadOnlySpan<int> words)
    {
        var node = Root;
        foreach (var word in words)
        {
            node = Child(node, word);
            if (node < 0)
            {
                return -1;
            }
        }

        return node;
    }

    private int Child(int node, int word) => _children.TryGetValue(Key(node, word), out var child) ? child : -1;
}
