using SpeechServe.Runtime.Audio;

namespace SpeechServe.Runtime.Tests.Audio;

public class AudioDecoderTests
{
    [Theory]
    [InlineData(8_000, 1, SampleEncoding.MuLaw, 0.03)]
    [InlineData(8_000, 1, SampleEncoding.ALaw, 0.03)]
    [InlineData(16_000, 1, SampleEncoding.PcmSigned16, 1e-4)]
    [InlineData(44_100, 2, SampleEncoding.PcmSigned16, 1e-3)]
    [InlineData(48_000, 2, SampleEncoding.IeeeFloat32, 1e-3)]
    [InlineData(22_050, 1, SampleEncoding.PcmSigned24, 1e-3)]
    public async Task DecodeAsync_Wav_GivesSixteenKilohertzSine(int rate, int channels, SampleEncoding encoding, double tolerance)
    {
        var sine = TestSignals.Sine(440, rate, 1.0, amplitude: 0.5);
        var interleaved = TestSignals.Interleave(Enumerable.Repeat(sine, channels).ToArray());
        var wav = new WavBuilder(rate, channels, encoding).Build(interleaved);

        var audio = await new AudioDecoder().DecodeAsync(wav);

        Assert.Equal(AudioContainer.Wav, audio.Container);
        Assert.Equal(rate, audio.OriginalSampleRate);
        Assert.Equal(channels, audio.OriginalChannels);
        Assert.Equal(1.0, audio.Duration.TotalSeconds, 3);
        var expected = TestSignals.Sine(440, 16_000, 1.0, amplitude: 0.5);
        var worst = 0.0;
        for (var i = 400; i < 15_600; i++)
        {
            worst = Math.Max(worst, Math.Abs(expected[i] - audio.Samples[i]));
        }

        Assert.True(worst <= tolerance, $"max error {worst:G3}");
    }

    [Fact]
    public async Task DecodeAsync_Empty_FailsAsEmptyAudio()
    {
        var error = await Assert.ThrowsAsync<AudioFormatException>(() => new AudioDecoder().DecodeAsync(ReadOnlyMemory<byte>.Empty));

        Assert.Equal(AudioErrorCode.EmptyAudio, error.ErrorCode);
    }

    [Fact]
    public async Task DecodeAsync_UnknownBytes_FailsAsUnsupportedMediaType()
    {
        var error = await Assert.ThrowsAsync<AudioFormatException>(() => new AudioDecoder().DecodeAsync("hello, this is text"u8.ToArray()));

        Assert.Equal(AudioErrorCode.UnsupportedMediaType, error.ErrorCode);
    }

    [Fact]
    public async Task DecodeAsync_WavOverDurationLimit_FailsAsTooLong()
    {
        var wav = new WavBuilder(8_000, 1, SampleEncoding.PcmSigned16).Build(new float[16_000]);
        var limits = new AudioLimits { MaxDuration = TimeSpan.FromSeconds(1.5) };

        var error = await Assert.ThrowsAsync<AudioFormatException>(() => new AudioDecoder().DecodeAsync(wav, limits));

        Assert.Equal(AudioErrorCode.AudioTooLong, error.ErrorCode);
    }
}
