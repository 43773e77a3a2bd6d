namespace SpeechServe.Runtime.Decoding;

/// <summary>A word or phrase to favour and its boost, in natural-log units added to a hypothesis's score.</summary>
/// <param name="Phrase">One or more words.</param>
/// <param name="Score">The boost of each of its words.</param>
public sealed record Hotword(string Phrase, double Score);

/// <summary>
/// One request's hotwords as the <see cref="LexiconBeamSearch"/> applies them (docs/decoding.md, "Hotwords"): each
/// word of a hotword that is in the lexicon adds the hotword's score when a hypothesis finishes it, and while the
/// hypothesis spells it, the share of the score of the characters spelt so far, so that the word survives the beam
/// until it is whole (sherpa-onnx's contextual biasing works the same way on its tokens). A hypothesis that leaves
/// the spelling loses the partial share. Words outside the lexicon cannot be produced and are listed in
/// <see cref="NotInLexicon"/>.
/// </summary>
public sealed class HotwordBoosts
{
    private readonly Dictionary<int, double> _words = [];
    private readonly Dictionary<LexiconNode, double> _partials = [];

    private HotwordBoosts()
    {
    }

    /// <summary>Hotword words the lexicon does not have: they are not boosted.</summary>
    public IReadOnlyList<string> NotInLexicon { get; private init; } = [];

    /// <summary>The boosts of <paramref name="hotwords"/> over <paramref name="languageModel"/>'s lexicon; words are matched in lower case.</summary>
    public static HotwordBoosts Build(LexiconLanguageModel languageModel, TokenVocabulary vocabulary, IEnumerable<Hotword> hotwords)
    {
        ArgumentNullException.ThrowIfNull(languageModel);
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(hotwords);
        var missing = new List<string>();
        var boosts = new HotwordBoosts { NotInLexicon = missing };
        foreach (var hotword in hotwords)
        {
            foreach (var word in hotword.Phrase.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!boosts.Add(languageModel, vocabulary, word, hotword.Score))
                {
                    missing.Add(word);
                }
            }
        }

        return boosts;
    }

    /// <summary>What finishing the language-model word <paramref name="wordId"/> adds.</summary>
    public double Word(int wordId) => _words.GetValueOrDefault(wordId);

    /// <summary>What the partial word <paramref name="partial"/> adds while it is being spelt.</summary>
    public double Partial(LexiconNode partial) => _partials.GetValueOrDefault(partial);

    private bool Add(LexiconLanguageModel languageModel, TokenVocabulary vocabulary, string word, double score)
    {
        var path = new List<LexiconNode>();
        var node = languageModel.Lexicon.Root;
        foreach (var character in word.EnumerateRunes())
        {
            node = vocabulary.TryGetId(character.ToString(), out var token) ? node.After(token) : LexiconNode.OutOfLexicon;
            if (node == LexiconNode.OutOfLexicon)
            {
                return false;
            }

            path.Add(node);
        }

        if (!node.IsWord)
        {
            return false;
        }

        _words[node.WordId] = Math.Max(score, _words.GetValueOrDefault(node.WordId));
        for (var depth = 0; depth < path.Count; depth++)
        {
            var share = score * (depth + 1) / path.Count;
            _partials[path[depth]] = Math.Max(share, _partials.GetValueOrDefault(path[depth]));
        }

        return true;
    }
}
