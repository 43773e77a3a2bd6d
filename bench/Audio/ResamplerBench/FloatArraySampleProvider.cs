using NAudio.Wave;

namespace SpeechServe.Bench.Audio;

/// <summary>Mono samples in memory as an NAudio <see cref="ISampleProvider"/>.</summary>
internal sealed class FloatArraySampleProvider(float[] samples, int sampleRate) : ISampleProvider
{
    private int _position;

    public WaveFormat WaveFormat { get; } = WaveFormat.CreateIeeeFloatWaveFormat(sampleRate, 1);

    public int Read(Span<float> buffer)
    {
        var count = Math.Min(buffer.Length, samples.Length - _position);
        samples.AsSpan(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }
}
