using System.Buffers.Binary;
using SpeechServe.Runtime.Audio;

namespace SpeechServe.Runtime.Tests.Audio;

public class WavParserErrorTests
{
    private static readonly WavBuilder Pcm16 = new(16_000, 1, SampleEncoding.PcmSigned16);

    public static TheoryData<string, AudioErrorCode> Cases => new()
    {
        { "empty", AudioErrorCode.EmptyAudio },
        { "riff-only", AudioErrorCode.TruncatedHeader },
        { "not-wave", AudioErrorCode.NotRiffWave },
        { "no-fmt", AudioErrorCode.MissingFormatChunk },
        { "no-data", AudioErrorCode.MissingDataChunk },
        { "short-fmt", AudioErrorCode.TruncatedHeader },
        { "fmt-cut-in-cbsize", AudioErrorCode.TruncatedHeader },
        { "extensible-without-subformat", AudioErrorCode.TruncatedHeader },
        { "truncated-chunk-header", AudioErrorCode.TruncatedHeader },
        { "data-size-lies", AudioErrorCode.ChunkSizeExceedsInput },
        { "riff-size-lies", AudioErrorCode.ChunkSizeExceedsInput },
        { "zero-channels", AudioErrorCode.ZeroChannels },
        { "rate-too-low", AudioErrorCode.UnsupportedSampleRate },
        { "rate-too-high", AudioErrorCode.UnsupportedSampleRate },
        { "adpcm", AudioErrorCode.UnsupportedEncoding },
        { "unknown-subformat", AudioErrorCode.UnsupportedEncoding },
        { "pcm-12-bit", AudioErrorCode.UnsupportedBitsPerSample },
        { "float-16-bit", AudioErrorCode.UnsupportedBitsPerSample },
        { "block-align", AudioErrorCode.BlockAlignMismatch },
        { "nan", AudioErrorCode.NonFiniteSample },
        { "infinity", AudioErrorCode.NonFiniteSample },
        { "no-samples", AudioErrorCode.EmptyAudio },
        { "too-long", AudioErrorCode.AudioTooLong },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parse_BadInput_ThrowsWithCode(string name, AudioErrorCode expected)
    {
        var input = BadInput(name);
        var limits = new AudioLimits { MaxDuration = TimeSpan.FromSeconds(1) };

        var error = Assert.Throws<AudioFormatException>(() => WavParser.Parse(input, limits));

        Assert.Equal(expected, error.ErrorCode);
        Assert.Equal("file", error.Param);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Code_ErrorCode_IsSnakeCase()
    {
        var error = new AudioFormatException(AudioErrorCode.ChunkSizeExceedsInput, "x");

        Assert.Equal("chunk_size_exceeds_input", error.Code);
    }

    [Theory]
    [InlineData(AudioErrorCode.UnsupportedMediaType, true)]
    [InlineData(AudioErrorCode.UnsupportedEncoding, true)]
    [InlineData(AudioErrorCode.TruncatedHeader, false)]
    public void IsUnsupportedMediaType_Code_MapsTo415(AudioErrorCode code, bool expected)
    {
        Assert.Equal(expected, new AudioFormatException(code, "x").IsUnsupportedMediaType);
    }

    private static byte[] BadInput(string name)
    {
        var samples = TestSignals.Sine(440, 16_000, 0.1);
        var good = Pcm16.Build(samples);
        switch (name)
        {
            case "empty":
                return [];
            case "riff-only":
                return good[..8];
            case "not-wave":
                return Patch(good, 8, "WAVX"u8);
            case "no-fmt":
                return WithRiffSize([.. good[..12], .. good[36..]]);
            case "no-data":
                return WithRiffSize(good[..36]);
            case "short-fmt":
                var shortFmt = good.ToArray();
                BinaryPrimitives.WriteUInt32LittleEndian(shortFmt.AsSpan(16), 10);
                return shortFmt;
            case "fmt-cut-in-cbsize":
                return WithUInt32(good, 16, 17);
            case "extensible-without-subformat":
                var noSubFormat = new WavBuilder(16_000, 1, SampleEncoding.PcmSigned16) { Extensible = true }.Build(samples);
                return WithUInt32(noSubFormat, 16, 18);
            case "truncated-chunk-header":
                return WithRiffSize(good[..39]);
            case "data-size-lies":
                return WithUInt32(good, 40, (uint)(good.Length * 2));
            case "riff-size-lies":
                return WithUInt32(good, 4, (uint)(good.Length + 100));
            case "zero-channels":
                return WithUInt16(good, WavBuilder.ChannelsOffset, 0);
            case "rate-too-low":
                return WithUInt32(good, WavBuilder.SampleRateOffset, 500);
            case "rate-too-high":
                return WithUInt32(good, WavBuilder.SampleRateOffset, 1_000_000);
            case "adpcm":
                return WithUInt16(good, WavBuilder.FormatCodeOffset, 2);
            case "unknown-subformat":
                var extensible = new WavBuilder(16_000, 1, SampleEncoding.PcmSigned16) { Extensible = true }.Build(samples);
                return Patch(extensible, 20 + 28, [0xDE, 0xAD]);
            case "pcm-12-bit":
                return WithUInt16(good, WavBuilder.BitsOffset, 12);
            case "float-16-bit":
                return WithUInt16(WithUInt16(good, WavBuilder.FormatCodeOffset, 3), WavBuilder.BitsOffset, 16);
            case "block-align":
                return WithUInt16(good, WavBuilder.BlockAlignOffset, 4);
            case "nan":
                return FloatWavWith(float.NaN);
            case "infinity":
                return FloatWavWith(float.PositiveInfinity);
            case "no-samples":
                return Pcm16.Build(Array.Empty<float>());
            case "too-long":
                return Pcm16.Build(new float[16_001]);
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, null);
        }
    }

    private static byte[] FloatWavWith(float value)
    {
        var samples = TestSignals.Sine(440, 16_000, 0.1);
        samples[100] = value;
        return new WavBuilder(16_000, 1, SampleEncoding.IeeeFloat32).Build(samples);
    }

    private static byte[] WithRiffSize(byte[] source) => WithUInt32(source, 4, (uint)(source.Length - 8));

    private static byte[] Patch(byte[] source, int offset, ReadOnlySpan<byte> bytes)
    {
        var copy = source.ToArray();
        bytes.CopyTo(copy.AsSpan(offset));
        return copy;
    }

    private static byte[] WithUInt16(byte[] source, int offset, ushort value)
    {
        var copy = source.ToArray();
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }

    private static byte[] WithUInt32(byte[] source, int offset, uint value)
    {
        var copy = source.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }
}
