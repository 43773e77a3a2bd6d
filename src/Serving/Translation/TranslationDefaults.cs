namespace SpeechServe.Serving.Translation;

/// <summary>
/// How translations are decoded when a request does not say (section <c>Serving:Translation</c>; environment
/// variables <c>Serving__Translation__BeamWidth</c> and so on). The request fields <c>beam_width</c>,
/// <c>length_penalty</c> and <c>max_tokens</c> override them, within the same ranges.
/// </summary>
public sealed class TranslationDefaults
{
    /// <summary>The widest beam a request may ask for.</summary>
    public const int MaxBeamWidth = 16;

    /// <summary>The largest length penalty a request may ask for.</summary>
    public const double MaxLengthPenalty = 2;

    /// <summary>Beam width, 1 to <see cref="MaxBeamWidth"/>; 1 decodes greedily.</summary>
    public int BeamWidth { get; set; } = 4;

    /// <summary>Beam hypotheses are ranked by <c>sum log p / length^LengthPenalty</c>, 0 to <see cref="MaxLengthPenalty"/>.</summary>
    public double LengthPenalty { get; set; } = 1.0;

    /// <summary>The most tokens generated, at least 1; a decoder with fewer positions caps it.</summary>
    public int MaxTokens { get; set; } = 64;

    /// <summary>Whether every value is in its range.</summary>
    public bool IsValid => BeamWidth is >= 1 and <= MaxBeamWidth && LengthPenalty is >= 0 and <= MaxLengthPenalty && MaxTokens >= 1;
}
