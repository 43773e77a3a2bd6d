using SpeechServe.Runtime.Decoding;

namespace SpeechServe.Runtime.Tests.Decoding;

public sealed class LexiconBeamSearchTests
{
    private static readonly TokenVocabulary Vocabulary = CtcTestData.Reference;
    private static readonly int V = Vocabulary.Count;

    [Fact]
    public void Decode_GreedyMisspelling_GivesTheLexiconWord()
    {
        // Frame 3 leans to 'e' (0.5) over 'a' (0.4): greedy spells "the cet", but "ce" begins no word.
        var logProbs = Frames("t", "h", "e", "|", "c", ("e", 0.5, "a", 0.4), "t", "_");

        var greedy = Vocabulary.Detokenize(GreedyCtcDecoder.Decode(logProbs, V).TokenIds);
        var searched = new LexiconBeamSearch(TinyLanguageModel.WithLexicon(), beamWidth: 8).Decode(logProbs, V);

        Assert.Equal("the cet", greedy);
        Assert.Equal("the cat", Vocabulary.Detokenize(searched.TokenIds));
    }

    [Fact]
    public void Decode_AcousticallyEven_TheLanguageModelChoosesTheWordSequence()
    {
        // The acoustics prefer "the cats" ('s' 0.6 against blank 0.3 on one frame, ln 2 nats); the language model
        // prefers "the cat" by 0.8 log10 (1.8 nats): P(cat | the) P(</s> | cat) against P(cats | the) P(</s> | cats).
        var logProbs = Frames("t", "h", "e", "|", "c", "a", "t", ("s", 0.6, "_", 0.3), "_");
        var withoutModel = new LexiconBeamSearch(TinyLanguageModel.WithLexicon(weight: 0), beamWidth: 8).Decode(logProbs, V);
        var withModel = new LexiconBeamSearch(TinyLanguageModel.WithLexicon(weight: 1), beamWidth: 8).Decode(logProbs, V);

        Assert.Equal("the cats", Vocabulary.Detokenize(withoutModel.TokenIds));
        Assert.Equal("the cat", Vocabulary.Detokenize(withModel.TokenIds));
    }

    [Fact]
    public void Decode_BoundaryFirstAndDoubled_NeverInTheResult()
    {
        var logProbs = Frames("|", "|", "t", "h", "e", "|", "_", "|", "c", "a", "t", "|", "|");
        var boundary = Vocabulary.WordBoundaryId!.Value;

        var tokens = new LexiconBeamSearch(TinyLanguageModel.WithLexicon(), beamWidth: 8).Decode(logProbs, V).TokenIds.ToList();

        Assert.Equal("the cat", Vocabulary.Detokenize(tokens));
        Assert.NotEqual(boundary, tokens[0]);
        Assert.DoesNotContain(tokens.Zip(tokens.Skip(1)), pair => pair.First == boundary && pair.Second == boundary);
    }

    [Fact]
    public void Decode_AudioEndsInsideANonWord_ReturnsTheBestEntryUnfinishedOnlyWhenNoneCanFinish()
    {
        var logProbs = Frames("_", "c", "a", "_");

        // Width 1 keeps only "ca", which no word completes: it is returned as it is.
        var narrow = new LexiconBeamSearch(TinyLanguageModel.WithLexicon(), beamWidth: 1).Decode(logProbs, V);
        // A wider beam also holds "cat" (its 't' from the last frame's small share), which can be finished, so it wins.
        var wide = new LexiconBeamSearch(TinyLanguageModel.WithLexicon(), beamWidth: 8).Decode(logProbs, V);

        Assert.Equal("ca", Vocabulary.Detokenize(narrow.TokenIds));
        Assert.Equal("cat", Vocabulary.Detokenize(wide.TokenIds));
    }

    [Fact]
    public void Decode_LexiconSentence_KeepsGreedysTokensAndFrames()
    {
        var logProbs = CtcTestData.Peaky("_tt_h_e|_cc_a_tt|_s_aa_t__");

        var searched = new LexiconBeamSearch(TinyLanguageModel.WithLexicon(), beamWidth: 8).Decode(logProbs, V);

        Assert.Equal("the cat sat", Vocabulary.Detokenize(searched.TokenIds));
        Assert.Equal(GreedyCtcDecoder.Decode(logProbs, V).Tokens, searched.Tokens);
    }

    [Fact]
    public void Decode_RandomFlatPosteriors_EveryWordIsALexiconWordButAnUnfinishedLastOne()
    {
        string[] lexicon = ["the", "cat", "cats", "sat"];
        var random = new Random(5);
        var search = new LexiconBeamSearch(TinyLanguageModel.WithLexicon(), beamWidth: 4);
        for (var trial = 0; trial < 20; trial++)
        {
            var words = Vocabulary.Detokenize(search.Decode(CtcTestData.RandomFlat(random, random.Next(1, 60), V), V).TokenIds)
                .Split(' ', StringSplitOptions.RemoveEmptyEntries);

            Assert.All(words.SkipLast(1), word => Assert.Contains(word, lexicon));
            Assert.All(words.TakeLast(1), word => Assert.Contains(lexicon, w => w.StartsWith(word, StringComparison.Ordinal)));
        }
    }

    [Fact]
    public void Constructor_VocabularyWithoutTheWordsLetters_RefusesAnEmptyLexicon()
    {
        var digits = TokenVocabulary.FromTokens(["<blank>", "\u2581", "1", "2"]);

        var error = Assert.Throws<InvalidDataException>(() => new LexiconLanguageModel(TinyLanguageModel.Read(), digits, 1, 0));

        Assert.Contains("lexicon is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_WordOutsideTheLexiconOnTheUnknownWordPath_KeepsItsSpelling()
    {
        var logProbs = CtcTestData.Peaky("_tt_h_e|_dd_o_gg|_s_aa_t__");

        var lexiconOnly = new LexiconBeamSearch(TinyLanguageModel.WithLexicon(), beamWidth: 8).Decode(logProbs, V);
        var open = new LexiconBeamSearch(TinyLanguageModel.WithUnknownWords(penalty: 1), beamWidth: 8).Decode(logProbs, V);

        Assert.NotEqual("the dog sat", Vocabulary.Detokenize(lexiconOnly.TokenIds));
        Assert.Equal("the dog sat", Vocabulary.Detokenize(open.TokenIds));
        Assert.Equal(GreedyCtcDecoder.Decode(logProbs, V).Tokens, open.Tokens);
    }

    [Theory]
    [InlineData(0, "the cet")]
    [InlineData(10, "the cat")]
    public void Decode_MisspellingOnTheUnknownWordPath_ThePenaltyDecides(double penalty, string expected)
    {
        var logProbs = Frames("t", "h", "e", "|", "c", ("e", 0.5, "a", 0.4), "t", "_");

        // Without the language model (weight 0), "cet" is better by the acoustics alone (0.5 against 0.4).
        var searched = new LexiconBeamSearch(TinyLanguageModel.WithUnknownWords(penalty, weight: 0), beamWidth: 8).Decode(logProbs, V);

        Assert.Equal(expected, Vocabulary.Detokenize(searched.TokenIds));
    }

    [Fact]
    public void FinishWord_UnknownWord_ScoresUnkLessThePenaltyAndTakesItAsContext()
    {
        var model = TinyLanguageModel.WithUnknownWords(penalty: 1.5, weight: 0.5);
        var ngrams = model.LanguageModel;
        Assert.True(ngrams.TryGetWordId(NgramLanguageModel.Unknown, out var unknown));
        var expected = (0.5 * ngrams.LogProbability(model.Start.Context, unknown)) + 0 - 1.5;

        var dog = Spell(model, "dog");
        var finished = model.FinishWord(dog);

        // Scored once, with the 'd' that left the lexicon.
        Assert.Same(LexiconNode.OutOfLexicon, Spell(model, "d").Partial);
        Assert.Equal(expected, Spell(model, "d").LanguageModelScore, 12);
        Assert.Equal(expected, dog.LanguageModelScore, 12);
        Assert.Same(model.Lexicon.Root, finished.Partial);
        Assert.Equal([unknown], finished.Context);
        Assert.Equal(expected, finished.LanguageModelScore, 12);
        Assert.False(model.CanFinishWord(model.Start));
    }

    [Fact]
    public void FinishWord_UnknownWordWithoutUnkInTheModel_UsesTheSetProbabilityAndEmptiesTheContext()
    {
        var model = TinyLanguageModel.WithUnknownWords(penalty: 2, unknownInModel: false);

        // "ca" begins "cat": it is scored as an unknown word only when it is finished.
        var partial = Spell(model, "ca");
        var finished = model.FinishWord(partial);

        Assert.Equal(0, partial.LanguageModelScore);
        Assert.Empty(finished.Context);
        Assert.Equal((-3 * Math.Log(10)) - 2, finished.LanguageModelScore, 12);
    }

    [Fact]
    public void FinishSentence_LexiconPrefixThatIsNoWord_IsFinishedOnlyOnTheUnknownWordPath()
    {
        var lexiconOnly = TinyLanguageModel.WithLexicon();
        var open = TinyLanguageModel.WithUnknownWords(penalty: 1);

        Assert.Null(lexiconOnly.FinishSentence(Spell(lexiconOnly, "ca")));
        Assert.NotNull(open.FinishSentence(Spell(open, "ca")));
    }

    [Fact]
    public void Constructor_NegativeUnknownWordPenalty_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TinyLanguageModel.WithUnknownWords(penalty: -1));
    }

    private static WordState Spell(LexiconLanguageModel model, string word) =>
        word.Aggregate(model.Start, (state, c) => model.AddCharacter(state, CtcTestData.IdOf(c)));

    /// <summary>
    /// One frame per item: a symbol (<c>_</c> blank, <c>|</c> boundary, a letter) with 0.9 of the mass, or
    /// two symbols with the given shares; the rest spread evenly.
    /// </summary>
    internal static float[] Frames(params object[] items)
    {
        var rows = items.Select(item =>
        {
            var shares = item switch
            {
                string symbol => new[] { (symbol, 0.9) },
                ValueTuple<string, double, string, double> two => [(two.Item1, two.Item2), (two.Item3, two.Item4)],
                _ => throw new ArgumentException("A frame is a symbol or two symbols with shares.", nameof(items)),
            };
            var rest = (1 - shares.Sum(s => s.Item2)) / (V - shares.Length);
            var row = Enumerable.Repeat(rest, V).ToArray();
            foreach (var (symbol, share) in shares)
            {
                row[CtcTestData.IdOf(symbol[0])] = share;
            }

            return row;
        }).ToArray();
        return CtcTestData.FromProbabilities(rows);
    }
}
