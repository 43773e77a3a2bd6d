namespace SpeechServe.Runtime.Models;

/// <summary>The log-mel frontend's parameters (docs/model.md, "Features"), recorded in model.json.</summary>
public sealed record FeatureConfig
{
    /// <summary>Input sample rate in Hz.</summary>
    public int SampleRate { get; init; } = 16000;

    /// <summary>Mel bins.</summary>
    public int NMels { get; init; } = 80;

    /// <summary>Window length in samples (25 ms).</summary>
    public int WindowLength { get; init; } = 400;

    /// <summary>Hop in samples (10 ms).</summary>
    public int HopLength { get; init; } = 160;

    /// <summary>FFT size.</summary>
    public int FftSize { get; init; } = 512;

    /// <summary>Lowest filter edge in Hz.</summary>
    public double FMin { get; init; }

    /// <summary>Highest filter edge in Hz.</summary>
    public double FMax { get; init; } = 8000;

    /// <summary>Floor applied before the natural log.</summary>
    public double LogFloor { get; init; } = 1e-10;
}
