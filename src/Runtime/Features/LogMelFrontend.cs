namespace SpeechServe.Runtime.Features;

/// <summary>
/// The 80-bin log-mel frontend of docs/model.md: periodic Hann window of 400 samples, hop 160, no padding,
/// 512-point FFT power spectrum, HTK mel filters 0-8000 Hz (torchaudio <c>melscale_fbanks</c>, <c>norm=None</c>),
/// <c>ln(max(x, 1e-10))</c>. Computed in double precision, returned as float32, row-major [frames, 80].
/// </summary>
public static class LogMelFrontend
{
    /// <summary>Features of a whole 16 kHz mono waveform: <c>float[FrameCount(N) * 80]</c>, row-major.</summary>
    public static float[] Compute(ReadOnlySpan<float> waveform)
    {
        var frames = LogMelSpec.FrameCount(waveform.Length);
        var features = new float[frames * LogMelSpec.MelBins];
        Compute(waveform, features);
        return features;
    }

    /// <summary>Writes the features of <paramref name="waveform"/> into <paramref name="features"/> and returns the frame count.</summary>
    /// <exception cref="ArgumentException"><paramref name="features"/> is shorter than frames × 80.</exception>
    public static int Compute(ReadOnlySpan<float> waveform, Span<float> features)
    {
        var frames = LogMelSpec.FrameCount(waveform.Length);
        if (features.Length < frames * LogMelSpec.MelBins)
        {
            throw new ArgumentException($"The destination holds {features.Length} values; {frames} frames need {frames * LogMelSpec.MelBins}.", nameof(features));
        }

        var computer = new LogMelFrameComputer();
        for (var f = 0; f < frames; f++)
        {
            computer.Compute(
                waveform.Slice(f * LogMelSpec.HopLength, LogMelSpec.WindowLength),
                features.Slice(f * LogMelSpec.MelBins, LogMelSpec.MelBins));
        }

        return frames;
    }
}
