namespace SpeechServe.Runtime.Features;

/// <summary>The fixed log-mel frontend parameters of docs/model.md, shared by training and serving.</summary>
public static class LogMelSpec
{
    /// <summary>Input sample rate in Hz.</summary>
    public const int SampleRate = 16_000;

    /// <summary>Analysis window length in samples (25 ms).</summary>
    public const int WindowLength = 400;

    /// <summary>Hop between frames in samples (10 ms).</summary>
    public const int HopLength = 160;

    /// <summary>FFT size; each frame is zero-padded to this length.</summary>
    public const int FftSize = 512;

    /// <summary>Power-spectrum bins: FftSize / 2 + 1.</summary>
    public const int FrequencyBins = (FftSize / 2) + 1;

    /// <summary>Mel filters, and so features per frame.</summary>
    public const int MelBins = 80;

    /// <summary>Lowest filter-bank frequency in Hz.</summary>
    public const double MinFrequency = 0;

    /// <summary>Highest filter-bank frequency in Hz.</summary>
    public const double MaxFrequency = 8_000;

    /// <summary>Floor applied before the natural log.</summary>
    public const double LogFloor = 1e-10;

    /// <summary>Frames for <paramref name="sampleCount"/> samples: <c>max(0, 1 + (N - 400) / 160)</c> (no padding).</summary>
    public static int FrameCount(long sampleCount) =>
        sampleCount < WindowLength ? 0 : checked((int)(1 + ((sampleCount - WindowLength) / HopLength)));

    /// <summary>The analysis window, a periodic Hann of <see cref="WindowLength"/> samples: <c>w[n] = 0.5 - 0.5 cos(2 pi n / 400)</c>.</summary>
    public static double[] PeriodicHann()
    {
        var window = new double[WindowLength];
        for (var n = 0; n < WindowLength; n++)
        {
            window[n] = 0.5 - (0.5 * Math.Cos(2 * Math.PI * n / WindowLength));
        }

        return window;
    }
}
