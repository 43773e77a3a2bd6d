using SpeechServe.Runtime.Audio;

namespace SpeechServe.Runtime.Tests.Audio;

/// <summary><see cref="AudioDecoder.OpenAsync"/>: decoded audio read in pieces, equal to the whole decode, checked as it goes.</summary>
public sealed class AudioSampleReaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("speechserve-reader-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(16_000, 1, SampleEncoding.PcmSigned16, 1)]
    [InlineData(16_000, 2, SampleEncoding.IeeeFloat32, 777)]
    [InlineData(8_000, 1, SampleEncoding.MuLaw, 16_000)]
    [InlineData(44_100, 2, SampleEncoding.PcmSigned16, 4_999)]
    [InlineData(48_000, 1, SampleEncoding.PcmSigned24, 100_000)]
    [InlineData(22_050, 3, SampleEncoding.IeeeFloat64, 16_000)]
    public async Task OpenAsync_WavReadInPieces_EqualsTheWholeDecodeBitForBit(int rate, int channels, SampleEncoding encoding, int piece)
    {
        var channelSignals = Enumerable.Range(0, channels).Select(c => Noisy(rate, 3.3, seed: c)).ToArray();
        var wav = new WavBuilder(rate, channels, encoding).Build(TestSignals.Interleave(channelSignals));
        var whole = AudioDecoder.DecodeWav(wav);

        await using var reader = await new AudioDecoder().OpenAsync(wav);
        var pieces = await ReadAllAsync(reader, piece);

        Assert.Equal(whole.Samples, pieces);
        Assert.Equal(whole.Samples.Length, reader.SamplesRead);
        Assert.Equal((AudioContainer.Wav, rate, channels), (reader.Container, reader.OriginalSampleRate, reader.OriginalChannels));
    }

    [Fact]
    public async Task OpenAsync_WavWithNaNPastTheFirstSeconds_TheSamplesBeforeItThenNonFiniteSample()
    {
        var samples = Noisy(16_000, 3, seed: 1);
        samples[40_000] = float.NaN;
        var wav = new WavBuilder(16_000, 1, SampleEncoding.IeeeFloat32).Build(samples);

        await using var reader = await new AudioDecoder().OpenAsync(wav);
        var first = new float[32_000];
        Assert.Equal(first.Length, await reader.ReadBlockAsync(first));
        var error = await Assert.ThrowsAsync<AudioFormatException>(async () => await reader.ReadBlockAsync(new float[16_000]));

        Assert.Equal(samples[..32_000], first);
        Assert.Equal(AudioErrorCode.NonFiniteSample, error.ErrorCode);
        Assert.Contains("at frame 40000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_WavOverTheDurationLimit_FailsBeforeAnySampleIsRead()
    {
        var wav = new WavBuilder(16_000, 1, SampleEncoding.PcmSigned16).Build(new float[48_000]);

        var error = await Assert.ThrowsAsync<AudioFormatException>(() => new AudioDecoder().OpenAsync(wav, new AudioLimits { MaxDuration = TimeSpan.FromSeconds(2) }));

        Assert.Equal(AudioErrorCode.AudioTooLong, error.ErrorCode);
    }

    [FfmpegFact]
    public async Task OpenAsync_FlacReadInOddPieces_EqualsDecodeAsync()
    {
        var flac = Encode(Noisy(44_100, 2.5, seed: 3), 44_100, "flac", "-c:a", "flac");
        var whole = await new AudioDecoder().DecodeAsync(flac);

        await using var reader = await new AudioDecoder().OpenAsync(flac);
        var pieces = await ReadAllAsync(reader, 1_001);

        Assert.Equal(whole.Samples, pieces);
        Assert.Equal(("flac", 44_100), (reader.OriginalFormat, reader.OriginalSampleRate));
    }

    [Fact]
    public async Task OpenAsync_EndlessDecoderOutput_ReadsOnlyWhatIsAskedForAndDisposeStopsTheDecoder()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // A decoder whose output never ends: a reader that drained it into memory would never return.
        var pidFile = Path.Combine(_directory, "decoder.pid");
        var reader = await OpenEndlessAsync(new AudioLimits { MaxDuration = TimeSpan.FromHours(10) }, $"echo $$ > '{pidFile}'\n");
        await ReadSecondsAsync(reader, 5 * 60);

        var pid = int.Parse(await File.ReadAllTextAsync(pidFile), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(5 * 60 * 16_000, reader.SamplesRead);
        Assert.True(FakeFfmpeg.IsRunning(pid), "the decoder ended although its output was not all read");

        await reader.DisposeAsync();

        await FakeFfmpeg.AssertEndsAsync(pid, "the decoder");
    }

    [Fact]
    public async Task ReadAsync_DecoderOutputPastTheDurationLimit_FailsAsTooLongOnceTheLimitIsPassed()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await using var reader = await OpenEndlessAsync(new AudioLimits { MaxDuration = TimeSpan.FromSeconds(10) });
        await ReadSecondsAsync(reader, 11);

        var error = await Assert.ThrowsAsync<AudioFormatException>(async () => await reader.ReadBlockAsync(new float[16_000]));

        Assert.Equal(AudioErrorCode.AudioTooLong, error.ErrorCode);
    }

    [Fact]
    public async Task ReadAsync_SlowReader_DecodeTimeoutCountsOnlyTheWaitForTheDecoder()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await using var reader = await OpenEndlessAsync(new AudioLimits { DecodeTimeout = TimeSpan.FromSeconds(1) });
        for (var s = 0; s < 3; s++)
        {
            await ReadSecondsAsync(reader, 1);

            // The reader's own work between reads (recognising the audio) is not the decoder's time.
            await Task.Delay(TimeSpan.FromSeconds(0.7));
        }
    }

    // An "Ogg" input decoded by a script whose output is endless zeros, after the script's own first lines.
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private async Task<AudioSampleReader> OpenEndlessAsync(AudioLimits limits, string before = "")
    {
        var decoder = new AudioDecoder(new FfmpegOptions { ExecutablePath = FakeFfmpeg.Write(_directory, before + "exec cat /dev/zero\n") });
        return await decoder.OpenAsync("OggS\0\0"u8.ToArray(), limits);
    }

    private static async Task ReadSecondsAsync(AudioSampleReader reader, int seconds)
    {
        var second = new float[16_000];
        for (var s = 0; s < seconds; s++)
        {
            Assert.Equal(second.Length, await reader.ReadBlockAsync(second));
        }
    }

    private static async Task<float[]> ReadAllAsync(AudioSampleReader reader, int piece)
    {
        var all = new List<float>();
        var buffer = new float[piece];
        while (await reader.ReadAsync(buffer) is var read and > 0)
        {
            Assert.InRange(read, 1, piece);
            all.AddRange(buffer.AsSpan(0, read));
        }

        Assert.Equal(0, await reader.ReadAsync(buffer));
        return [.. all];
    }

    private static float[] Noisy(int rate, double seconds, int seed)
    {
        var random = new Random(seed);
        var tone = TestSignals.Sine(300 + (100 * seed), rate, seconds, amplitude: 0.3);
        return tone.Select(x => x + (float)(0.1 * ((random.NextDouble() * 2) - 1))).ToArray();
    }

    private byte[] Encode(float[] samples, int rate, string extension, params string[] codec)
    {
        var wav = Path.Combine(_directory, $"source-{Guid.NewGuid():N}.wav");
        File.WriteAllBytes(wav, new WavBuilder(rate, 1, SampleEncoding.PcmSigned16).Build(samples));
        var output = Path.ChangeExtension(wav, extension);
        FfmpegCli.Encode(wav, output, codec);
        return File.ReadAllBytes(output);
    }
}
