namespace SpeechServe.Runtime.Audio;

/// <summary>Bounds applied while decoding one audio input.</summary>
public sealed record AudioLimits
{
    /// <summary>Default limits: 30 minutes of audio, 2 minutes of ffmpeg time.</summary>
    public static AudioLimits Default { get; } = new();

    /// <summary>The longest accepted audio. Longer inputs fail with <see cref="AudioErrorCode.AudioTooLong"/>.</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Cap on the bytes ffmpeg may write (f32le mono 16 kHz, 64,000 bytes per second). Null derives it
    /// from <see cref="MaxDuration"/> (plus one second of slack).
    /// </summary>
    public long? MaxDecodedBytes { get; init; }

    /// <summary>How long ffmpeg may run before its process tree is killed.</summary>
    public TimeSpan DecodeTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The lowest accepted input sample rate in Hz.</summary>
    public int MinSampleRate { get; init; } = 1_000;

    /// <summary>The highest accepted input sample rate in Hz.</summary>
    public int MaxSampleRate { get; init; } = 384_000;

    internal long EffectiveMaxDecodedBytes =>
        MaxDecodedBytes ?? (long)((MaxDuration.TotalSeconds + 1) * AudioDecoder.TargetSampleRate * sizeof(float));

    internal void EnsureDuration(long frames, int sampleRate)
    {
        var seconds = (double)frames / sampleRate;
        if (seconds > MaxDuration.TotalSeconds)
        {
            throw new AudioFormatException(
                AudioErrorCode.AudioTooLong,
                $"The audio is {seconds:0.##} s long; the limit is {MaxDuration.TotalSeconds:0.##} s. Split it into shorter files.");
        }
    }
}
