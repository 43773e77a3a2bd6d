using SpeechServe.Runtime.Streaming;

namespace SpeechServe.Runtime.Tests.Streaming;

public sealed class PcmFrameDecoderTests
{
    [Fact]
    public void Decode_S16_ScalesToUnitRange()
    {
        byte[] frame = [0x00, 0x80, 0xFF, 0x7F, 0x00, 0x00];

        var samples = PcmFrameDecoder.Decode(frame, PcmEncoding.S16le);

        Assert.Equal([-1f, 32767 / 32768f, 0f], samples);
    }

    [Theory]
    [InlineData(PcmEncoding.S16le, 3)]
    [InlineData(PcmEncoding.F32le, 6)]
    public void Decode_PartialSample_Throws(PcmEncoding encoding, int bytes)
    {
        Assert.Throws<FormatException>(() => PcmFrameDecoder.Decode(new byte[bytes], encoding));
    }

    [Fact]
    public void Decode_NonFiniteFloat_Throws()
    {
        Assert.Throws<FormatException>(() => PcmFrameDecoder.Decode(BitConverter.GetBytes(float.NaN), PcmEncoding.F32le));
    }

    [Theory]
    [InlineData(null, true, PcmEncoding.S16le)]
    [InlineData("pcm_s16le", true, PcmEncoding.S16le)]
    [InlineData("pcm_f32le", true, PcmEncoding.F32le)]
    [InlineData("opus", false, PcmEncoding.S16le)]
    public void TryParse_WireNames_Recognised(string? name, bool ok, PcmEncoding expected)
    {
        Assert.Equal(ok, PcmFrameDecoder.TryParse(name, out var encoding));
        Assert.Equal(expected, encoding);
    }
}
