using SpeechServe.Runtime.Decoding;

namespace SpeechServe.Runtime.Tests.Decoding;

public sealed class HotwordBoostsTests
{
    private static readonly TokenVocabulary Vocabulary = CtcTestData.Reference;
    private static readonly int V = Vocabulary.Count;

    [Fact]
    public void Decode_LanguageModelPrefersCat_HotwordCatsWinsAndAWeakBoostDoesNot()
    {
        // As in LexiconBeamSearchTests: the language model prefers "the cat" over the acoustics' "the cats" by about 1.1 nats.
        var logProbs = LexiconBeamSearchTests.Frames("t", "h", "e", "|", "c", "a", "t", ("s", 0.6, "_", 0.3), "_");
        var languageModel = TinyLanguageModel.WithLexicon();
        var search = new LexiconBeamSearch(languageModel, beamWidth: 8);

        var plain = search.Decode(logProbs, V);
        var boosted = search.Decode(logProbs, V, HotwordBoosts.Build(languageModel, Vocabulary, [new Hotword("Cats", 2)]));
        var weak = search.Decode(logProbs, V, HotwordBoosts.Build(languageModel, Vocabulary, [new Hotword("cats", 0.5)]));

        Assert.Equal("the cat", Vocabulary.Detokenize(plain.TokenIds));
        Assert.Equal("the cats", Vocabulary.Detokenize(boosted.TokenIds));
        Assert.Equal("the cat", Vocabulary.Detokenize(weak.TokenIds));
    }

    [Fact]
    public void Build_PhraseWithWordsOutsideTheLexicon_BoostsTheOthersAndListsTheMissing()
    {
        var languageModel = TinyLanguageModel.WithLexicon();

        var boosts = HotwordBoosts.Build(languageModel, Vocabulary, [new Hotword("the zebra cat", 3)]);

        Assert.Equal(["zebra"], boosts.NotInLexicon);
        Assert.True(languageModel.LanguageModel.TryGetWordId("cat", out var cat));
        Assert.Equal(3, boosts.Word(cat));
        var c = languageModel.Lexicon.Root.After(Vocabulary.TryGetId("c", out var id) ? id : -1);
        Assert.Equal(1, boosts.Partial(c), 6);
    }
}
