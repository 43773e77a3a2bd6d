namespace SpeechServe.Runtime.Audio;

/// <summary>Audio ready for the feature frontend: mono float samples at 16 kHz.</summary>
/// <param name="Samples">Mono samples at <see cref="SampleRate"/>, nominally in [-1, 1].</param>
/// <param name="Container">The container the input came in.</param>
/// <param name="OriginalFormat">The source encoding, e.g. <c>pcm_s16le</c>, <c>mulaw</c>, <c>flac</c>, <c>opus</c>.</param>
/// <param name="OriginalSampleRate">The source sample rate in Hz, or null when the decoder did not report it.</param>
/// <param name="OriginalChannels">The source channel count, or null when the decoder did not report it.</param>
public sealed record DecodedAudio(
    float[] Samples,
    AudioContainer Container,
    string OriginalFormat,
    int? OriginalSampleRate,
    int? OriginalChannels)
{
    /// <summary>The sample rate of <see cref="Samples"/>: always 16,000 Hz.</summary>
    public int SampleRate { get; } = AudioDecoder.TargetSampleRate;

    /// <summary>The length of the audio.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds((double)Samples.Length / SampleRate);
}
