namespace SpeechServe.Runtime.Translation;

/// <summary>How one request's translation is searched (docs/decoding.md, "Translation decoding").</summary>
public sealed record TranslationDecodingOptions
{
    /// <summary>1 decodes greedily (or samples when <see cref="Temperature"/> &gt; 0); more runs a beam search of that width.</summary>
    public int BeamWidth { get; init; } = 1;

    /// <summary>Beam hypotheses are ranked by <c>sum log p / length^LengthPenalty</c>; 0 ranks by the plain sum.</summary>
    public double LengthPenalty { get; init; } = 1.0;

    /// <summary>The most tokens generated (<c>&lt;/s&gt;</c> included), capped at the decoder's <c>MaxPositions - 1</c>.</summary>
    public int MaxTokens { get; init; } = 64;

    /// <summary>Above 0, each token is sampled from <c>softmax(logits / Temperature)</c>; needs <see cref="BeamWidth"/> 1.</summary>
    public double Temperature { get; init; }

    /// <summary>Checks the values together and says which one to fix.</summary>
    /// <exception cref="ArgumentException">A value is out of range or the combination is not supported.</exception>
    public void Validate()
    {
        if (BeamWidth < 1)
        {
            throw new ArgumentException($"BeamWidth must be at least 1 (got {BeamWidth}).", nameof(BeamWidth));
        }

        if (!double.IsFinite(LengthPenalty))
        {
            throw new ArgumentException($"LengthPenalty must be a finite number (got {LengthPenalty}).", nameof(LengthPenalty));
        }

        if (MaxTokens < 1)
        {
            throw new ArgumentException($"MaxTokens must be at least 1 (got {MaxTokens}).", nameof(MaxTokens));
        }

        if (!double.IsFinite(Temperature) || Temperature < 0)
        {
            throw new ArgumentException($"Temperature must be 0 (greedy) or a positive finite number (got {Temperature}).", nameof(Temperature));
        }

        if (Temperature > 0 && BeamWidth > 1)
        {
            throw new ArgumentException("Sampling (Temperature > 0) needs BeamWidth 1; set one of them back to its default.", nameof(Temperature));
        }
    }

    /// <summary>The tokens a search may generate with a decoder of <paramref name="maxPositions"/> positions (<c>&lt;s&gt;</c> takes one).</summary>
    internal int TokenLimit(int maxPositions) => Math.Min(MaxTokens, maxPositions - 1);
}
