using SpeechServe.Runtime.Audio;

namespace SpeechServe.Runtime.Tests.Audio;

public class WavParserTests
{
    public static TheoryData<SampleEncoding, double> Encodings => new()
    {
        { SampleEncoding.PcmUnsigned8, 0.01 },
        { SampleEncoding.PcmSigned16, 5e-5 },
        { SampleEncoding.PcmSigned24, 1e-6 },
        { SampleEncoding.PcmSigned32, 1e-6 },
        { SampleEncoding.IeeeFloat32, 1e-7 },
        { SampleEncoding.IeeeFloat64, 1e-7 },
        { SampleEncoding.MuLaw, 0.02 },
        { SampleEncoding.ALaw, 0.02 },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Parse_MonoSineInEachEncoding_MatchesSourceWithinQuantisation(SampleEncoding encoding, double tolerance)
    {
        var source = TestSignals.Sine(440, 16_000, 0.25, amplitude: 0.6);
        var wav = new WavBuilder(16_000, 1, encoding).Build(source);

        var audio = WavParser.Parse(wav);

        Assert.Equal(encoding, audio.Format.Encoding);
        Assert.Equal(source.Length, audio.Samples.Length);
        AssertClose(source, audio.Samples, tolerance);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Parse_ExtensibleStereo_AveragesChannels(SampleEncoding encoding, double tolerance)
    {
        var left = TestSignals.Sine(440, 8_000, 0.25, amplitude: 0.6);
        var right = TestSignals.Sine(1000, 8_000, 0.25, amplitude: 0.3);
        var wav = new WavBuilder(8_000, 2, encoding) { Extensible = true }.Build(TestSignals.Interleave(left, right));

        var audio = WavParser.Parse(wav);

        Assert.Equal(2, audio.Format.Channels);
        Assert.Equal(8_000, audio.Format.SampleRate);
        var expected = left.Zip(right, (l, r) => (l + r) / 2).ToArray();
        AssertClose(expected, audio.Samples, tolerance);
    }

    [Fact]
    public void Parse_SixChannels_AveragesAllChannels()
    {
        var channels = Enumerable.Range(0, 6).Select(c => TestSignals.Sine(200 * (c + 1), 48_000, 0.05, 0.1 * (c + 1))).ToArray();
        var wav = new WavBuilder(48_000, 6, SampleEncoding.IeeeFloat32).Build(TestSignals.Interleave(channels));

        var audio = WavParser.Parse(wav);

        var expected = Enumerable.Range(0, channels[0].Length).Select(i => channels.Average(c => c[i])).Select(x => (float)x).ToArray();
        AssertClose(expected, audio.Samples, 1e-6);
    }

    [Fact]
    public void Parse_ListChunkAndOddChunks_SkipsThem()
    {
        var source = TestSignals.Sine(300, 16_000, 0.1);
        foreach (var builder in new[]
        {
            new WavBuilder(16_000, 1, SampleEncoding.PcmSigned16) { ListChunkBeforeFormat = true },
            new WavBuilder(16_000, 1, SampleEncoding.PcmSigned16) { PaddedOddChunk = true },
            new WavBuilder(16_000, 1, SampleEncoding.PcmSigned16) { UnpaddedOddChunk = true },
        })
        {
            var audio = WavParser.Parse(builder.Build(source));
            AssertClose(source, audio.Samples, 5e-5);
        }
    }

    [Theory]
    [InlineData(38)] // data size 76 = 0x4C, 'L': the padded position reads "ataL", a printable id (found by WavParserPropertyTests).
    [InlineData(50)] // 100 = 0x64, 'd'
    [InlineData(2048)] // 4096 = 0x1000: the low byte is not printable
    public void Parse_UnpaddedOddChunkBeforeData_FindsTheDataChunk(int samples)
    {
        var source = TestSignals.Sine(300, 16_000, samples / 16_000.0);
        Assert.Equal(samples, source.Length);
        var wav = new WavBuilder(16_000, 1, SampleEncoding.PcmSigned16) { UnpaddedOddChunk = true }.Build(source);

        var audio = WavParser.Parse(wav);

        AssertClose(source, audio.Samples, 5e-5);
    }

    [Fact]
    public void Parse_StreamingSizes_ReadsToEndOfInput()
    {
        var source = TestSignals.Sine(300, 16_000, 0.1);
        var unknown = new WavBuilder(16_000, 1, SampleEncoding.PcmSigned16) { RiffSize = 0xFFFFFFFF, DataSize = 0xFFFFFFFF };
        var zero = new WavBuilder(16_000, 1, SampleEncoding.PcmSigned16) { RiffSize = 0, DataSize = 0 };

        Assert.Equal(source.Length, WavParser.Parse(unknown.Build(source)).Samples.Length);
        Assert.Equal(source.Length, WavParser.Parse(zero.Build(source)).Samples.Length);
    }

    [Fact]
    public void Parse_StreamingSizeWithPartialLastFrame_DropsPartialFrame()
    {
        var builder = new WavBuilder(16_000, 2, SampleEncoding.PcmSigned16) { RiffSize = 0xFFFFFFFF, DataSize = 0xFFFFFFFF };
        var wav = builder.Build(TestSignals.Interleave(TestSignals.Sine(300, 16_000, 0.01), TestSignals.Sine(300, 16_000, 0.01)));
        var truncated = wav.AsSpan(0, wav.Length - 3).ToArray();

        Assert.Equal(159, WavParser.Parse(truncated).Samples.Length);
    }

    [Fact]
    public async Task ParseAsync_Stream_MatchesSpanParse()
    {
        var wav = new WavBuilder(22_050, 1, SampleEncoding.PcmSigned24).Build(TestSignals.Sine(300, 22_050, 0.1));
        using var stream = new MemoryStream(wav);

        var audio = await WavParser.ParseAsync(stream);

        Assert.Equal(WavParser.Parse(wav).Samples, audio.Samples);
        Assert.Equal(22_050, audio.Format.SampleRate);
    }

    [Fact]
    public void Parse_Duration_ReportsLength()
    {
        var wav = new WavBuilder(8_000, 1, SampleEncoding.MuLaw).Build(new float[12_000]);

        Assert.Equal(TimeSpan.FromSeconds(1.5), WavParser.Parse(wav).Duration);
    }

    internal static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        }

        Assert.True(worst <= tolerance, $"max abs error {worst:G4} > {tolerance:G4}");
    }
}
