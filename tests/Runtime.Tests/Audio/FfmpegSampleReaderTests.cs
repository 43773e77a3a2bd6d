using SpeechServe.Runtime.Audio;

namespace SpeechServe.Runtime.Tests.Audio;

public sealed class FfmpegSampleReaderTests : IDisposable
{
    private const int SourceRate = 44_100;
    private const double SourceSeconds = 2.0;
    private readonly string _directory = Directory.CreateTempSubdirectory("speechserve-ffmpeg-").FullName;
    private readonly float[] _left = Tone(SourceRate, SourceSeconds, 0);
    private readonly float[] _right = Tone(SourceRate, SourceSeconds, 1);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [FfmpegTheory]
    [InlineData("flac", AudioContainer.Flac, new[] { "-c:a", "flac" })]
    [InlineData("mp3", AudioContainer.Mp3, new[] { "-c:a", "libmp3lame", "-b:a", "128k" })]
    [InlineData("ogg", AudioContainer.Ogg, new[] { "-c:a", "libopus", "-b:a", "64k" })]
    [InlineData("webm", AudioContainer.WebM, new[] { "-c:a", "libopus", "-b:a", "64k" })]
    [InlineData("m4a", AudioContainer.Mp4, new[] { "-c:a", "aac", "-b:a", "128k" })]
    public async Task DecodeAsync_CompressedContainer_MatchesSourceDurationAndShape(string extension, AudioContainer container, string[] codec)
    {
        var encoded = EncodeSource(extension, codec);

        var audio = await new AudioDecoder().DecodeAsync(encoded);

        Assert.Equal(container, audio.Container);
        Assert.Equal(16_000, audio.SampleRate);
        Assert.InRange(audio.Duration.TotalSeconds, SourceSeconds - 0.05, SourceSeconds + 0.05);
        Assert.Equal(2, audio.OriginalChannels);
        Assert.NotNull(audio.OriginalSampleRate);
        var reference = new PolyphaseResampler(SourceRate, 16_000).Process(_left.Zip(_right, (l, r) => (l + r) / 2).ToArray());
        var correlation = BestCorrelation(reference, audio.Samples, maxLag: 800);
        Assert.True(correlation > 0.9, $"correlation with the source {correlation:F3}");
    }

    [FfmpegFact]
    public async Task DecodeAsync_Flac_ReportsOriginalRateAndCodec()
    {
        var audio = await new AudioDecoder().DecodeAsync(EncodeSource("flac", "-c:a", "flac"));

        Assert.Equal(SourceRate, audio.OriginalSampleRate);
        Assert.Equal("flac", audio.OriginalFormat);
    }

    [FfmpegFact]
    public async Task DecodeAsync_CorruptFlac_FailsWithFfmpegMessage()
    {
        byte[] corrupt = [.. "fLaC"u8, .. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7))];

        var error = await Assert.ThrowsAsync<AudioFormatException>(() => new AudioDecoder().DecodeAsync(corrupt));

        Assert.Equal(AudioErrorCode.DecodeFailed, error.ErrorCode);
        Assert.Contains("ffmpeg said", error.Message, StringComparison.Ordinal);
    }

    [FfmpegFact]
    public async Task DecodeAsync_LongerThanMaxDuration_StopsAtOutputCap()
    {
        var encoded = EncodeSource("flac", "-c:a", "flac");
        var limits = new AudioLimits { MaxDuration = TimeSpan.FromSeconds(0.5) };

        var error = await Assert.ThrowsAsync<AudioFormatException>(() => new AudioDecoder().DecodeAsync(encoded, limits));

        Assert.Equal(AudioErrorCode.AudioTooLong, error.ErrorCode);
    }

    [FfmpegFact]
    public async Task DecodeAsync_ExplicitByteCap_StopsAtOutputCap()
    {
        var encoded = EncodeSource("ogg", "-c:a", "libopus");
        var limits = new AudioLimits { MaxDecodedBytes = 4_000 };

        var error = await Assert.ThrowsAsync<AudioFormatException>(() => new AudioDecoder().DecodeAsync(encoded, limits));

        Assert.Equal(AudioErrorCode.AudioTooLong, error.ErrorCode);
    }

    [Fact]
    public async Task DecodeAsync_FfmpegMissing_FailsAsUnsupportedMediaType()
    {
        var decoder = new AudioDecoder(new FfmpegOptions { ExecutablePath = Path.Combine(_directory, "no-such-ffmpeg") });

        var error = await Assert.ThrowsAsync<AudioFormatException>(() => decoder.DecodeAsync("fLaC\0\0\0\0"u8.ToArray()));

        Assert.Equal(AudioErrorCode.UnsupportedMediaType, error.ErrorCode);
        Assert.True(error.IsUnsupportedMediaType);
        Assert.Contains("ffmpeg", error.Message, StringComparison.Ordinal);
        Assert.Contains("not installed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecodeAsync_FfmpegHangs_KillsProcessTreeAtTimeout()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var pidFile = Path.Combine(_directory, "child.pid");
        var decoder = new AudioDecoder(new FfmpegOptions { ExecutablePath = FakeFfmpeg.Write(_directory, $"sleep 60 &\necho $! > '{pidFile}'\nwait\n") });
        var limits = new AudioLimits { DecodeTimeout = TimeSpan.FromSeconds(1) };
        byte[] input = [.. "OggS"u8, .. new byte[1 << 20]];
        var started = System.Diagnostics.Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<AudioFormatException>(() => decoder.DecodeAsync(input, limits));

        Assert.Equal(AudioErrorCode.DecodeTimeout, error.ErrorCode);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(15), $"took {started.Elapsed}");
        var childPid = int.Parse(await File.ReadAllTextAsync(pidFile), System.Globalization.CultureInfo.InvariantCulture);
        await FakeFfmpeg.AssertEndsAsync(childPid, "the child process of the hung decoder");
    }

    [Fact]
    public async Task DecodeAsync_Cancelled_ThrowsOperationCanceled()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var decoder = new AudioDecoder(new FfmpegOptions { ExecutablePath = FakeFfmpeg.Write(_directory, "sleep 60\n") });
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => decoder.DecodeAsync("OggS\0\0"u8.ToArray(), null, cancellation.Token));
    }

    [Fact]
    public async Task DecodeAsync_FfmpegFailsWithoutReadingInput_ReportsItsLastLine()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var decoder = new AudioDecoder(new FfmpegOptions { ExecutablePath = FakeFfmpeg.Write(_directory, "echo 'first line' >&2\necho 'pipe:0: Invalid data found' >&2\nexit 1\n") });
        byte[] input = [.. "OggS"u8, .. new byte[1 << 20]];

        var error = await Assert.ThrowsAsync<AudioFormatException>(() => decoder.DecodeAsync(input));

        Assert.Equal(AudioErrorCode.DecodeFailed, error.ErrorCode);
        Assert.Contains("pipe:0: Invalid data found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecodeAsync_FfmpegKilledBySignal_FailsAsDecoderCrashed()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var decoder = new AudioDecoder(new FfmpegOptions { ExecutablePath = FakeFfmpeg.Write(_directory, "echo 'partial output' >&2\nkill -SEGV $$\n") });

        var error = await Assert.ThrowsAsync<AudioFormatException>(() => decoder.DecodeAsync("OggS\0\0"u8.ToArray()));

        Assert.Equal(AudioErrorCode.DecoderCrashed, error.ErrorCode);
        Assert.Contains("crashed", error.Message, StringComparison.Ordinal);
        Assert.Contains("signal 11", error.Message, StringComparison.Ordinal);
    }

    private byte[] EncodeSource(string extension, params string[] codec)
    {
        var wav = Path.Combine(_directory, "source.wav");
        if (!File.Exists(wav))
        {
            File.WriteAllBytes(wav, new WavBuilder(SourceRate, 2, SampleEncoding.PcmSigned16).Build(TestSignals.Interleave(_left, _right)));
        }

        var output = Path.Combine(_directory, $"source.{extension}");
        FfmpegCli.Encode(wav, output, codec);
        return File.ReadAllBytes(output);
    }

    private static float[] Tone(int rate, double seconds, int channel)
    {
        // Two tones with a slow envelope, different per channel, so that correlation checks shape and not just pitch.
        var samples = new float[(int)(rate * seconds)];
        for (var i = 0; i < samples.Length; i++)
        {
            var t = (double)i / rate;
            var envelope = 0.5 + (0.5 * Math.Sin(2 * Math.PI * (channel == 0 ? 1.5 : 2.5) * t));
            samples[i] = (float)(envelope * ((0.3 * Math.Sin(2 * Math.PI * 330 * t)) + (0.15 * Math.Sin(2 * Math.PI * (1200 + (300 * channel)) * t))));
        }

        return samples;
    }

    private static double BestCorrelation(float[] reference, float[] decoded, int maxLag)
    {
        var best = double.NegativeInfinity;
        for (var lag = -maxLag; lag <= maxLag; lag += 1)
        {
            var a = lag >= 0 ? reference.AsSpan(0) : reference.AsSpan(-lag);
            var b = lag >= 0 ? decoded.AsSpan(Math.Min(lag, decoded.Length)) : decoded.AsSpan(0);
            best = Math.Max(best, TestSignals.Correlation(a, b));
        }

        return best;
    }
}
