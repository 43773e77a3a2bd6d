using SpeechServe.Runtime.Audio;

namespace SpeechServe.Runtime.Tests.Audio;

/// <summary><see cref="ReadAheadAudio"/>: complete audio within the limit, and longer audio read again from its start.</summary>
public sealed class ReadAheadAudioTests
{
    [Theory]
    [InlineData(31_999, true)]
    [InlineData(32_000, true)]
    [InlineData(32_001, false)]
    [InlineData(100_000, false)]
    public async Task ReadAsync_AudioAroundTheLimit_CompleteOnlyWhenItEndsWithinIt(int length, bool complete)
    {
        var samples = Ramp(length);
        var wav = new WavBuilder(16_000, 1, SampleEncoding.IeeeFloat32).Build(samples);

        await using var audio = await ReadAheadAudio.ReadAsync(await new AudioDecoder().OpenAsync(wav), limit: 32_000);

        Assert.Equal(complete, audio.IsComplete);
        if (complete)
        {
            Assert.Equal(samples, audio.Samples);
        }
        else
        {
            Assert.Throws<InvalidOperationException>(() => audio.Samples);
            Assert.Equal(32_001, audio.Duration.TotalSeconds * 16_000, 6);
        }

        var again = (await audio.Reader.ReadToEndAsync()).Samples;
        Assert.Equal(samples, again);
        Assert.Equal(length / 16_000.0, audio.Duration.TotalSeconds, 9);
    }

    [Fact]
    public async Task ReadAsync_ProblemWithinTheReadAhead_ThrowsBeforeAnyResult()
    {
        var samples = Ramp(20_000);
        samples[19_000] = float.PositiveInfinity;
        var wav = new WavBuilder(16_000, 1, SampleEncoding.IeeeFloat32).Build(samples);

        var error = await Assert.ThrowsAsync<AudioFormatException>(async () => await ReadAheadAudio.ReadAsync(await new AudioDecoder().OpenAsync(wav), limit: 32_000));

        Assert.Equal(AudioErrorCode.NonFiniteSample, error.ErrorCode);
    }

    private static float[] Ramp(int length) => Enumerable.Range(0, length).Select(i => (i % 1000) / 1000f).ToArray();
}
