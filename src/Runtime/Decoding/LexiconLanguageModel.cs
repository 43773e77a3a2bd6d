namespace SpeechServe.Runtime.Decoding;

/// <summary>
/// A word n-gram model seen through its <see cref="Lexicon"/> (docs/decoding.md): which tokens may extend a
/// prefix, and the language-model score of the words it finishes. With <see cref="UnknownWords"/>, a word outside
/// the lexicon is allowed too and scored as <c>&lt;unk&gt;</c>.
/// </summary>
public sealed class LexiconLanguageModel
{
    private readonly int _unknownId;
    private readonly double _unknownFallback;

    /// <param name="languageModel">The word n-gram model.</param>
    /// <param name="vocabulary">The CTC vocabulary; it needs the word boundary <c>▁</c>.</param>
    /// <param name="weight">Scales the language model's natural-log probabilities (at least 0).</param>
    /// <param name="wordBonus">Added for every finished word.</param>
    /// <param name="unknownWords">The unknown-word path's settings; null keeps the search to lexicon words.</param>
    /// <exception cref="InvalidDataException">The vocabulary has no word boundary, or no lexicon word can be spelled with it.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A weight, bonus or unknown-word setting is out of range.</exception>
    public LexiconLanguageModel(NgramLanguageModel languageModel, TokenVocabulary vocabulary, double weight, double wordBonus, UnknownWordOptions? unknownWords = null)
    {
        ArgumentNullException.ThrowIfNull(languageModel);
        ArgumentNullException.ThrowIfNull(vocabulary);
        if (!(weight >= 0) || double.IsPositiveInfinity(weight))
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "The language-model weight must be a finite number of at least 0.");
        }

        if (!double.IsFinite(wordBonus))
        {
            throw new ArgumentOutOfRangeException(nameof(wordBonus), wordBonus, "The word bonus must be a finite number.");
        }

        if (unknownWords is not null && (!(unknownWords.Penalty >= 0) || double.IsPositiveInfinity(unknownWords.Penalty)
            || !(unknownWords.UnknownLog10Probability <= 0) || double.IsNegativeInfinity(unknownWords.UnknownLog10Probability)))
        {
            throw new ArgumentOutOfRangeException(nameof(unknownWords), unknownWords, "The unknown-word penalty must be a finite number of at least 0 and the unknown word's log10 probability a finite number of at most 0.");
        }

        BoundaryId = vocabulary.WordBoundaryId
            ?? throw new InvalidDataException($"The vocabulary has no word boundary '{TokenVocabulary.WordBoundary}', which the language model's words need.");
        LanguageModel = languageModel;
        Lexicon = Lexicon.Build(languageModel, vocabulary);
        if (Lexicon.WordCount == 0)
        {
            throw new InvalidDataException("No word of the language model can be spelled with the vocabulary's tokens: the lexicon is empty.");
        }

        VocabularySize = vocabulary.Count;
        Weight = weight;
        WordBonus = wordBonus;
        UnknownWords = unknownWords;
        _unknownId = languageModel.TryGetWordId(NgramLanguageModel.Unknown, out var unknownId) ? unknownId : -1;
        _unknownFallback = (unknownWords?.UnknownLog10Probability ?? 0) * Math.Log(10);
        Start = new WordState(Lexicon.Root, ContextAfter([], languageModel.SentenceStartId), 0);
    }

    /// <summary>The word n-gram model.</summary>
    public NgramLanguageModel LanguageModel { get; }

    /// <summary>The words that can be produced.</summary>
    public Lexicon Lexicon { get; }

    /// <summary>The id of the word boundary token.</summary>
    public int BoundaryId { get; }

    /// <summary>The CTC output width V of the vocabulary.</summary>
    public int VocabularySize { get; }

    /// <summary>The language-model weight.</summary>
    public double Weight { get; }

    /// <summary>The score added per word.</summary>
    public double WordBonus { get; }

    /// <summary>The unknown-word path's settings, or null when only lexicon words can be produced.</summary>
    public UnknownWordOptions? UnknownWords { get; }

    /// <summary>The state of the empty prefix: context <c>&lt;s&gt;</c>, no partial word, score 0.</summary>
    public WordState Start { get; }

    /// <summary>
    /// Whether a word boundary may follow <paramref name="state"/>: its partial word is a lexicon word, or any
    /// non-empty spelling when the unknown-word path is on.
    /// </summary>
    public bool CanFinishWord(WordState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Partial.IsWord || (UnknownWords is not null && state.Partial != Lexicon.Root);
    }

    /// <summary>
    /// The state after character <paramref name="token"/> on the unknown-word path: the partial word grows, and when
    /// it leaves the lexicon there (<see cref="LexiconNode.OutOfLexicon"/>) it is scored as an unknown word at once.
    /// </summary>
    public WordState AddCharacter(WordState state, int token)
    {
        ArgumentNullException.ThrowIfNull(state);
        var partial = state.Partial.After(token);
        return state with { Partial = partial, LanguageModelScore = ScoreAfter(state, partial) };
    }

    /// <summary>The <c>lm</c> of the state <see cref="AddCharacter"/> would return, without building it.</summary>
    public double ScoreAfterCharacter(WordState state, int token)
    {
        ArgumentNullException.ThrowIfNull(state);
        return ScoreAfter(state, state.Partial.After(token));
    }

    private double ScoreAfter(WordState state, LexiconNode partial) =>
        partial == LexiconNode.OutOfLexicon && state.Partial != LexiconNode.OutOfLexicon
            ? state.LanguageModelScore + UnknownWordScore(state.Context)
            : state.LanguageModelScore;

    /// <summary>
    /// The state after a word boundary: <paramref name="state"/>'s partial word is finished, as a lexicon word or,
    /// on the unknown-word path, as an unknown word (scored when it left the lexicon, or now when it is a lexicon
    /// word's beginning); the context then takes <c>&lt;unk&gt;</c>, or is emptied when the model has none.
    /// </summary>
    /// <exception cref="ArgumentException">The partial word cannot be finished (<see cref="CanFinishWord"/>).</exception>
    public WordState FinishWord(WordState state)
    {
        if (!CanFinishWord(state))
        {
            throw new ArgumentException("The partial word is not a word that can be finished.", nameof(state));
        }

        var word = state.Partial.WordId;
        if (word >= 0)
        {
            var score = state.LanguageModelScore + ((Weight * LanguageModel.LogProbability(state.Context, word)) + WordBonus);
            return new WordState(Lexicon.Root, ContextAfter(state.Context, word), score);
        }

        var unknownScore = state.Partial == LexiconNode.OutOfLexicon
            ? state.LanguageModelScore
            : state.LanguageModelScore + UnknownWordScore(state.Context);
        return new WordState(Lexicon.Root, _unknownId >= 0 ? ContextAfter(state.Context, _unknownId) : [], unknownScore);
    }

    /// <summary>
    /// The final <c>lm</c> of a prefix at the end of the utterance: its partial word finished (when it has one)
    /// and <c>&lt;/s&gt;</c> scored; null when the partial word cannot be finished (<see cref="CanFinishWord"/>).
    /// </summary>
    public double? FinishSentence(WordState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Partial != Lexicon.Root)
        {
            if (!CanFinishWord(state))
            {
                return null;
            }

            state = FinishWord(state);
        }

        return state.LanguageModelScore + (Weight * LanguageModel.LogProbability(state.Context, LanguageModel.SentenceEndId));
    }

    // weight * ln P(<unk> | context) + word bonus - penalty, as one term.
    private double UnknownWordScore(int[] context)
    {
        var unknown = _unknownId >= 0 ? LanguageModel.LogProbability(context, _unknownId) : _unknownFallback;
        return (Weight * unknown) + WordBonus - UnknownWords!.Penalty;
    }

    private int[] ContextAfter(int[] context, int word)
    {
        var keep = Math.Min(context.Length, LanguageModel.Order - 2);
        if (keep < 0)
        {
            return [];
        }

        return [.. context.AsSpan(context.Length - keep), word];
    }
}
