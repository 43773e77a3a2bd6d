using SpeechServe.Runtime.Decoding;

namespace SpeechServe.Export.Repository;

/// <summary>A word language model to ship in a model repository (docs/decoding.md).</summary>
public sealed record LanguageModelExport
{
    /// <summary>The ARPA file to copy into the repository as <c>lm.arpa</c>.</summary>
    public required string Path { get; init; }

    /// <summary>The language-model weight (at least 0).</summary>
    public double Weight { get; init; } = 0.8;

    /// <summary>The score added per word.</summary>
    public double WordBonus { get; init; }

    /// <summary>The beam width of the lexicon search (at least 1).</summary>
    public int BeamWidth { get; init; } = 32;

    /// <summary>The unknown-word path's settings, or null to produce lexicon words only.</summary>
    public UnknownWordOptions? UnknownWords { get; init; }
}
