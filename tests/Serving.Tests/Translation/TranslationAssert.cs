using SpeechServe.Runtime.Evaluation;

namespace SpeechServe.Serving.Tests.Translation;

/// <summary>Checks a translation against its English reference: close, not exact (the adapters are small models).</summary>
internal static class TranslationAssert
{
    /// <summary>
    /// The largest word error rate accepted for one held-out sentence. The shipped adapters get most of these
    /// sentences right and the worst within about 0.3 (beam 4); a broken decoder, a wrong adapter or audio fed at
    /// the wrong rate gives unrelated words, far above it.
    /// </summary>
    public const double MaxWordErrorRate = 0.5;

    public static void Close(string reference, string translation)
    {
        var referenceWords = WordErrors.Words(reference);
        var errors = WordErrors.Distance(referenceWords, WordErrors.Words(translation));
        var rate = (double)errors / referenceWords.Length;
        Assert.True(rate <= MaxWordErrorRate, $"'{translation}' is {rate:P0} word errors from '{reference}' (at most {MaxWordErrorRate:P0} accepted)");
    }
}
