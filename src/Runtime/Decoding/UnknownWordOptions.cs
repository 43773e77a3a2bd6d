namespace SpeechServe.Runtime.Decoding;

/// <summary>
/// The unknown-word path of a <see cref="LexiconBeamSearch"/> (docs/decoding.md): any spelling may be a word,
/// and a word outside the lexicon is scored with the language model's <c>&lt;unk&gt;</c> less a penalty.
/// </summary>
public sealed record UnknownWordOptions
{
    /// <summary>The log10 probability of an unknown word when the language model has no <c>&lt;unk&gt;</c>.</summary>
    public const double DefaultUnknownLog10Probability = -7;

    /// <summary>Subtracted from the score of every word outside the lexicon (natural-log units, at least 0).</summary>
    public required double Penalty { get; init; }

    /// <summary>The log10 probability of an unknown word, used only when the language model has no <c>&lt;unk&gt;</c>.</summary>
    public double UnknownLog10Probability { get; init; } = DefaultUnknownLog10Probability;
}
