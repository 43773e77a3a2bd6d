using SpeechServe.Runtime.Audio;

namespace SpeechServe.Runtime.Tests.Audio;

public class G711Tests
{
    [Theory]
    [InlineData(0x00, -32124)]
    [InlineData(0x80, 32124)]
    [InlineData(0xFF, 0)]
    [InlineData(0x7F, 0)]
    [InlineData(0xFE, 8)]
    [InlineData(0x7E, -8)]
    public void DecodeMuLaw_KnownCodes_GiveStandardValues(int code, int expected)
    {
        Assert.Equal(expected, G711.DecodeMuLaw((byte)code));
    }

    [Theory]
    [InlineData(0xD5, 8)]
    [InlineData(0x55, -8)]
    [InlineData(0xAA, 32256)]
    [InlineData(0x2A, -32256)]
    public void DecodeALaw_KnownCodes_GiveStandardValues(int code, int expected)
    {
        Assert.Equal(expected, G711.DecodeALaw((byte)code));
    }

    [Fact]
    public void DecodeMuLaw_EncodedValues_RoundTripWithinSegmentStep()
    {
        for (var value = -32000; value <= 32000; value += 7)
        {
            var decoded = G711.DecodeMuLaw(G711Encoder.EncodeMuLaw((short)value));
            var step = Math.Max(2, (Math.Abs(value) + 132) / 16);
            Assert.True(Math.Abs(decoded - value) <= step, $"{value} -> {decoded}");
        }
    }

    [Fact]
    public void DecodeALaw_EncodedValues_RoundTripWithinSegmentStep()
    {
        for (var value = -32000; value <= 32000; value += 7)
        {
            var decoded = G711.DecodeALaw(G711Encoder.EncodeALaw((short)value));
            var step = Math.Max(16, Math.Abs(value) / 16);
            Assert.True(Math.Abs(decoded - value) <= step, $"{value} -> {decoded}");
        }
    }

    [Fact]
    public void Decode_AllCodes_AreMonotonicInMagnitudeWithinASign()
    {
        var positives = Enumerable.Range(0, 256).Select(c => (int)G711.DecodeALaw((byte)c)).Where(v => v > 0).Distinct().Count();
        var muPositives = Enumerable.Range(0, 256).Select(c => (int)G711.DecodeMuLaw((byte)c)).Where(v => v > 0).Distinct().Count();

        Assert.Equal(128, positives);
        Assert.Equal(127, muPositives);
    }
}
