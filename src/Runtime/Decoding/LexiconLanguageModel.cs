namespace SpeechServe.Runtime.Decoding;

/// <summary>
/// A word n-gram model seen through its <see cref="Lexicon"/> (docs/decoding.md): which tokens may extend a
/// prefix, and the language-model score of the words it finishes.
/// </summary>
public sealed class LexiconLanguageModel
{
    /// <param name="languageModel">The word n-gram model.</param>
    /// <param name="vocabulary">The CTC vocabulary; it needs the word boundary <c>▁</c>.</param>
    /// <param name="weight">Scales the language model's natural-log probabilities (at least 0).</param>
    /// <param name="wordBonus">Added for every finished word.</param>
    /// <exception cref="InvalidDataException">The vocabulary has no word boundary, or no lexicon word can be spelled with it.</exception>
    public LexiconLanguageModel(NgramLanguageModel languageModel, TokenVocabulary vocabulary, double weight, double wordBonus)
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

    /// <summary>The state of the empty prefix: context <c>&lt;s&gt;</c>, no partial word, score 0.</summary>
    public WordState Start { get; }

    /// <summary>The state after a word boundary: <paramref name="state"/>'s partial word, which must be a lexicon word, is finished.</summary>
    public WordState FinishWord(WordState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var word = state.Partial.WordId;
        if (word < 0)
        {
            throw new ArgumentException("The partial word is not a lexicon word.", nameof(state));
        }

        var score = state.LanguageModelScore + ((Weight * LanguageModel.LogProbability(state.Context, word)) + WordBonus);
        return new WordState(Lexicon.Root, ContextAfter(state.Context, word), score);
    }

    /// <summary>
    /// The final <c>lm</c> of a prefix at the end of the utterance: its partial word finished (when it has one)
    /// and <c>&lt;/s&gt;</c> scored; null when the partial word is not a lexicon word.
    /// </summary>
    public double? FinishSentence(WordState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Partial != Lexicon.Root)
        {
            if (!state.Partial.IsWord)
            {
                return null;
            }

            state = FinishWord(state);
        }

        return state.LanguageModelScore + (Weight * LanguageModel.LogProbability(state.Context, LanguageModel.SentenceEndId));
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
