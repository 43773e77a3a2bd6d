using SpeechServe.Runtime.Audio;
using SpeechServe.Runtime.Streaming;

namespace SpeechServe.Runtime.Tests.Streaming;

public sealed class PcmFrameDecoderTests
{
    [Fact]
    public void Decode_S16_ScalesToUnitRange()
    {
        byte[] frame = [0x00, 0x80, 0xFF, 0x7F, 0x00, 0x00];

        var samples = PcmFrameDecoder.Decode(frame, SampleEncoding.PcmSigned16);

        Assert.Equal([-1f, 32767 / 32768f, 0f], samples);
    }

    [Theory]
    [InlineData(SampleEncoding.PcmSigned16, 3)]
    [InlineData(SampleEncoding.IeeeFloat32, 6)]
    public void Decode_PartialSample_Throws(SampleEncoding encoding, int bytes)
    {
        Assert.Throws<FormatException>(() => PcmFrameDecoder.Decode(new byte[bytes], encoding));
    }

    [Fact]
    public void Decode_NonFiniteFloat_Throws()
    {
        var error = Assert.Throws<AudioFormatException>(() => PcmFrameDecoder.Decode(BitConverter.GetBytes(float.NaN), SampleEncoding.IeeeFloat32));

        Assert.Equal(AudioErrorCode.NonFiniteSample, error.ErrorCode);
    }

    [Theory]
    [InlineData(null, true, SampleEncoding.PcmSigned16)]
    [InlineData("pcm_s16le", true, SampleEncoding.PcmSigned16)]
    [InlineData("pcm_f32le", true, SampleEncoding.IeeeFloat32)]
    [InlineData("opus", false, SampleEncoding.PcmSigned16)]
    public void TryParse_WireNames_Recognised(string? name, bool ok, SampleEncoding expected)
    {
        Assert.Equal(ok, PcmFrameDecoder.TryParse(name, out var encoding));
        Assert.Equal(expected, encoding);
    }
}
