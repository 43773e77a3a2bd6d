using SpeechServe.Runtime.Translation;

namespace SpeechServe.Runtime.Tests.Translation;

/// <summary>The searches over a table-driven decoder: '$' is <c>&lt;/s&gt;</c>, letters are words.</summary>
public sealed class TokenSearchTests
{
    private const int MaxTokens = 10;

    // Greedy takes "a" (0.5), then "a" again (0.36): "aa" at 0.18 overall.
    // "b" then "</s>" has 0.4 * 0.9 = 0.36; a beam of 2 finds it.
    private static readonly Dictionary<string, (char, double)[]> GreedyMisses = new()
    {
        [""] = [('a', 0.5), ('b', 0.4), ('$', 0.1)],
        ["a"] = [('a', 0.36), ('b', 0.34), ('$', 0.3)],
        ["b"] = [('$', 0.9), ('c', 0.1)],
    };

    // Stopping at once (0.5) beats "a" (0.4 * 0.99) by probability, not once divided by length.
    private static readonly Dictionary<string, (char, double)[]> ShortOrLong = new()
    {
        [""] = [('$', 0.5), ('a', 0.4), ('b', 0.1)],
        ["a"] = [('$', 0.99), ('c', 0.01)],
    };

    private static readonly Dictionary<string, (char, double)[]> Endless =
        Enumerable.Range(0, 2 * MaxTokens).ToDictionary(n => new string('a', n), _ => new[] { ('a', 0.99) });

    [Fact]
    public void Greedy_EachStep_TakesTheMostLikelyToken()
    {
        var result = TableDecoderStepper.Decode(GreedyMisses, new GreedySearch(MaxTokens));

        Assert.Equal(["aa"], result);
    }

    [Fact]
    public void Beam_WhereTheBestFirstTokenLeadsNowhere_FindsTheMoreLikelySequence()
    {
        var result = TableDecoderStepper.Decode(GreedyMisses, new BeamSearch(2, lengthPenalty: 0, MaxTokens));

        Assert.Equal(["b"], result);
    }

    [Theory]
    [InlineData(0.0, "")]
    [InlineData(1.0, "a")]
    public void Beam_LengthPenalty_ChangesTheWinner(double lengthPenalty, string expected)
    {
        var result = TableDecoderStepper.Decode(ShortOrLong, new BeamSearch(3, lengthPenalty, MaxTokens));

        Assert.Equal([expected], result);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void Beam_WidthOne_EqualsGreedy(double lengthPenalty)
    {
        foreach (var table in new[] { GreedyMisses, ShortOrLong })
        {
            Assert.Equal(
                TableDecoderStepper.Decode(table, new GreedySearch(MaxTokens)),
                TableDecoderStepper.Decode(table, new BeamSearch(1, lengthPenalty, MaxTokens)));
        }
    }

    [Fact]
    public void Sampling_AtLowTemperature_EqualsGreedy()
    {
        var greedy = TableDecoderStepper.Decode(GreedyMisses, new GreedySearch(MaxTokens));
        for (var seed = 0; seed < 20; seed++)
        {
            Assert.Equal(greedy, TableDecoderStepper.Decode(GreedyMisses, new SamplingSearch(MaxTokens, 0.01, new Random(seed))));
        }
    }

    [Fact]
    public void Sampling_AtHighTemperature_Varies()
    {
        var results = Enumerable.Range(0, 20)
            .Select(seed => TableDecoderStepper.Decode(GreedyMisses, new SamplingSearch(MaxTokens, 5, new Random(seed)))[0])
            .ToHashSet();

        Assert.True(results.Count >= 3, $"20 samples gave only {string.Join(", ", results)}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Search_WithoutEndOfSequence_StopsAtMaxTokens(int beamWidth)
    {
        var search = TokenSearch.Create(new TranslationDecodingOptions { BeamWidth = beamWidth, MaxTokens = 5 }, maxPositions: 64);
        var stepper = new TableDecoderStepper(Endless);

        LockstepDecoding.Run([search], stepper, TableDecoderStepper.VocabularySize);

        Assert.Equal("aaaaa", TableDecoderStepper.Letters(search.Tokens));
        Assert.Equal(5, stepper.Steps);
    }

    [Fact]
    public void Create_MaxTokensBeyondThePositions_IsCappedBelowThem()
    {
        var search = TokenSearch.Create(new TranslationDecodingOptions { MaxTokens = 100 }, maxPositions: 8);

        Assert.Equal(7, search.MaxTokens);
    }

    [Fact]
    public void Lockstep_SearchesOfDifferentWidthsTogether_EachGivesItsResultAlone()
    {
        TokenSearch[] Searches() =>
        [
            new BeamSearch(3, 1.0, MaxTokens), new GreedySearch(MaxTokens), new BeamSearch(2, 0, MaxTokens), new GreedySearch(3),
        ];

        var alone = Searches().Select(s => TableDecoderStepper.Decode(GreedyMisses, s)[0]);
        var together = TableDecoderStepper.Decode(GreedyMisses, Searches());

        Assert.Equal(alone, together);
        Assert.Equal(["b", "aa", "b", "aa"], together);
    }

    [Theory]
    [InlineData(0, 1.0, 64, 0.0, "BeamWidth")]
    [InlineData(1, double.NaN, 64, 0.0, "LengthPenalty")]
    [InlineData(1, 1.0, 0, 0.0, "MaxTokens")]
    [InlineData(1, 1.0, 64, -0.5, "Temperature")]
    [InlineData(4, 1.0, 64, 0.7, "Temperature")]
    public void Validate_InvalidOptions_ThrowsNamingTheValue(int beamWidth, double lengthPenalty, int maxTokens, double temperature, string name)
    {
        var options = new TranslationDecodingOptions { BeamWidth = beamWidth, LengthPenalty = lengthPenalty, MaxTokens = maxTokens, Temperature = temperature };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(name, error.ParamName);
    }
}
