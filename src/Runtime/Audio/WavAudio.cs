namespace SpeechServe.Runtime.Audio;

/// <summary>A parsed WAV file: mono samples at the file's own sample rate.</summary>
/// <param name="Format">The file's format chunk.</param>
/// <param name="Samples">Mono samples (channels averaged), nominally in [-1, 1].</param>
public sealed record WavAudio(WavFormat Format, float[] Samples)
{
    /// <summary>The length of the audio.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds((double)Samples.Length / Format.SampleRate);
}
