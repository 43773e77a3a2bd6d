namespace SpeechServe.Runtime.Decoding;

/// <summary>Collects the n-grams of an ARPA file into the trie of a <see cref="NgramLanguageModel"/>.</summary>
internal sealed class NgramTrieBuilder
{
    private readonly List<string> _words = [];
    private readonly Dictionary<string, int> _wordIds = new(StringComparer.Ordinal);
    private readonly Dictionary<long, int> _children = [];

    // Node 0 is the empty n-gram; NaN marks a node that is only the prefix of a longer n-gram.
    private readonly List<double> _logProbs = [double.NaN];
    private readonly List<double> _backOffs = [0];

    /// <summary>Adds one n-gram (natural-log scores); returns why it is refused, or null.</summary>
    public string? Add(ReadOnlySpan<string> words, double logProb, double backOff)
    {
        if (words.Length == 1 && !_wordIds.ContainsKey(words[0]))
        {
            _wordIds.Add(words[0], _words.Count);
            _words.Add(words[0]);
        }

        var node = 0;
        foreach (var word in words)
        {
            if (!_wordIds.TryGetValue(word, out var id))
            {
                return $"the word '{word}' of this {words.Length}-gram has no 1-gram.";
            }

            var key = NgramLanguageModel.Key(node, id);
            if (!_children.TryGetValue(key, out var child))
            {
                child = _logProbs.Count;
                _children.Add(key, child);
                _logProbs.Add(double.NaN);
                _backOffs.Add(0);
            }

            node = child;
        }

        if (!double.IsNaN(_logProbs[node]))
        {
            return $"the {words.Length}-gram '{string.Join(' ', words.ToArray())}' appears twice.";
        }

        _logProbs[node] = logProb;
        _backOffs[node] = backOff;
        return null;
    }

    public NgramLanguageModel Build(int order, string name)
    {
        foreach (var required in new[] { NgramLanguageModel.SentenceStart, NgramLanguageModel.SentenceEnd })
        {
            if (!_wordIds.ContainsKey(required))
            {
                throw new InvalidDataException($"{name} has no 1-gram for '{required}': sentences cannot be scored.");
            }
        }

        return new NgramLanguageModel(order, [.. _words], _children, [.. _logProbs], [.. _backOffs]);
    }
}
