using SpeechServe.Runtime.Decoding;

namespace SpeechServe.Runtime.Tests.Decoding;

/// <summary>A hand-written bigram model over the words the, cat, cats, sat, with back-off weights.</summary>
internal static class TinyLanguageModel
{
    public const string Arpa = """
        \data\
        ngram 1=6
        ngram 2=4

        \1-grams:
        -99	<s>	-0.3
        -1.0	</s>
        -0.7	cat	-0.2
        -0.8	cats
        -0.9	sat	-0.1
        -1.2	the	-0.5

        \2-grams:
        -0.2	<s> the
        -0.3	the cat
        -0.4	cat sat
        -0.1	sat </s>

        \end\
        """;

    public static NgramLanguageModel Read() => ArpaReader.Read(new StringReader(Arpa));

    /// <summary>The same model with a 1-gram <c>&lt;unk&gt;</c> of log10 probability -2.</summary>
    public static NgramLanguageModel ReadWithUnknown() =>
        ArpaReader.Read(new StringReader(Arpa.Replace("ngram 1=6", "ngram 1=7", StringComparison.Ordinal)
            .Replace("-0.9\tsat", "-2.0\t<unk>\n-0.9\tsat", StringComparison.Ordinal)));

    public static LexiconLanguageModel WithLexicon(double weight = 1, double wordBonus = 0) =>
        new(Read(), CtcTestData.Reference, weight, wordBonus);

    public static LexiconLanguageModel WithUnknownWords(double penalty, double weight = 1, bool unknownInModel = true) =>
        new(unknownInModel ? ReadWithUnknown() : Read(), CtcTestData.Reference, weight, 0, new UnknownWordOptions { Penalty = penalty, UnknownLog10Probability = -3 });
}
