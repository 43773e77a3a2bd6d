using SpeechServe.Runtime.Audio;
using SpeechServe.Runtime.Streaming;

namespace SpeechServe.Runtime.Tests.Streaming;

public sealed class StreamingResamplerTests
{
    [Theory]
    [InlineData(48_000)]
    [InlineData(44_100)]
    [InlineData(8_000)]
    [InlineData(22_050)]
    public void Accept_RandomPieces_EqualsWholeSignalBitForBit(int inputRate)
    {
        var random = new Random(inputRate);
        var signal = new float[(inputRate / 2) + 37];
        for (var i = 0; i < signal.Length; i++)
        {
            signal[i] = (float)((random.NextDouble() * 2) - 1);
        }

        var expected = new PolyphaseResampler(inputRate, 16_000).Process(signal);
        var streaming = new StreamingResampler(inputRate, 16_000);
        var output = new List<float>();
        for (var position = 0; position < signal.Length;)
        {
            var size = Math.Min(random.Next(0, 3000), signal.Length - position);
            output.AddRange(streaming.Accept(signal.AsSpan(position, size)));
            position += size;
        }

        output.AddRange(streaming.Finish());
        Assert.Equal(expected, output.ToArray());
    }
}
