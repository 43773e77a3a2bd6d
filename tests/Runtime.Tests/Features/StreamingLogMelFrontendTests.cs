using SpeechServe.Runtime.Features;

namespace SpeechServe.Runtime.Tests.Features;

public class StreamingLogMelFrontendTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(159)]
    [InlineData(160)]
    [InlineData(399)]
    [InlineData(400)]
    [InlineData(1_000)]
    [InlineData(5_123)]
    public void Accept_FixedChunks_EqualsOfflineExactly(int chunk)
    {
        var waveform = ReferenceLogMel.TestWaveform(12_345, seed: 2);
        var offline = LogMelFrontend.Compute(waveform);
        var streaming = new StreamingLogMelFrontend();

        var frames = new List<float>();
        for (var start = 0; start < waveform.Length; start += chunk)
        {
            frames.AddRange(streaming.Accept(waveform.AsSpan(start, Math.Min(chunk, waveform.Length - start))));
        }

        Assert.Equal(offline, frames.ToArray());
        Assert.Equal(LogMelSpec.FrameCount(waveform.Length), streaming.FramesEmitted);
    }

    [Fact]
    public void Accept_RandomChunks_EqualsOfflineExactly()
    {
        var random = new Random(3);
        var waveform = ReferenceLogMel.TestWaveform(20_000, seed: 4);
        var streaming = new StreamingLogMelFrontend();

        var frames = new List<float>();
        var position = 0;
        while (position < waveform.Length)
        {
            var size = Math.Min(random.Next(0, 900), waveform.Length - position);
            var emitted = streaming.Accept(waveform.AsSpan(position, size));
            position += size;
            Assert.Equal(LogMelSpec.FrameCount(position) * 80, frames.Count + emitted.Length);
            frames.AddRange(emitted);
        }

        Assert.Equal(LogMelFrontend.Compute(waveform), frames.ToArray());
    }

    [Fact]
    public void Reset_AfterAudio_StartsANewStream()
    {
        var waveform = ReferenceLogMel.TestWaveform(4_000, seed: 5);
        var streaming = new StreamingLogMelFrontend();
        streaming.Accept(ReferenceLogMel.TestWaveform(1_234, seed: 6));

        streaming.Reset();

        Assert.Equal(LogMelFrontend.Compute(waveform), streaming.Accept(waveform));
    }
}
