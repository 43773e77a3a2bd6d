using SpeechServe.Runtime.Audio;
using Xunit.Abstractions;

namespace SpeechServe.Runtime.Tests.Audio;

public class PolyphaseResamplerTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(44_100, 44_100, 16_000)]
    [InlineData(48_000, 48_001, 16_001)]
    [InlineData(8_000, 8_000, 16_000)]
    [InlineData(22_050, 1, 1)]
    [InlineData(11_025, 0, 0)]
    public void OutputLength_InputLength_IsCeilingOfRatio(int inputRate, int inputLength, int expected)
    {
        var resampler = new PolyphaseResampler(inputRate, 16_000);

        Assert.Equal(expected, resampler.OutputLength(inputLength));
        Assert.Equal(expected, resampler.Process(new float[inputLength]).Length);
    }

    [Fact]
    public void Process_SameRate_ReturnsInputUnchanged()
    {
        var input = TestSignals.Sine(440, 16_000, 0.1);

        Assert.Equal(input, new PolyphaseResampler(16_000, 16_000).Process(input));
    }

    [Fact]
    public void Process_1kHzAt44100_KeepsAmplitudeWithinOneTenthDb()
    {
        var resampled = new PolyphaseResampler(44_100, 16_000).Process(TestSignals.Sine(1000, 44_100, 1.0));

        var gainDb = 20 * Math.Log10(TestSignals.ToneAmplitude(Steady(resampled), 1000, 16_000) / 0.5);
        output.WriteLine($"1 kHz, 44.1 kHz -> 16 kHz: gain {gainDb:F5} dB");
        Assert.InRange(gainDb, -0.1, 0.1);
    }

    [Fact]
    public void Process_10kHzAt48000_AttenuatesByMoreThan60Db()
    {
        var resampled = new PolyphaseResampler(48_000, 16_000).Process(TestSignals.Sine(10_000, 48_000, 1.0));

        var levelDb = 20 * Math.Log10(TestSignals.Rms(Steady(resampled)) * Math.Sqrt(2) / 0.5);
        output.WriteLine($"10 kHz, 48 kHz -> 16 kHz: level {levelDb:F1} dB");
        Assert.True(levelDb < -60, $"10 kHz came through at {levelDb:F1} dB");
    }

    [Fact]
    public void Process_ToneAt44100_KeepsPhaseAndTiming()
    {
        var input = TestSignals.Sine(440, 44_100, 0.5, phase: 0.3);
        var expected = TestSignals.Sine(440, 16_000, 0.5, phase: 0.3);

        var resampled = new PolyphaseResampler(44_100, 16_000).Process(input);

        var worst = 0.0;
        for (var i = 1_000; i < 7_000; i++)
        {
            worst = Math.Max(worst, Math.Abs(resampled[i] - expected[i]));
        }

        Assert.True(worst < 1e-4, $"max error {worst:G3}");
    }

    [Fact]
    public void Process_UncommonRatio_UsesInterpolatedPhasesWithFullQuality()
    {
        var resampler = new PolyphaseResampler(44_101, 16_000);
        var resampled = resampler.Process(TestSignals.Sine(3000, 44_101, 1.0));
        var expected = TestSignals.Sine(3000, 16_000, resampled.Length / 16_000.0);

        var worst = 0.0;
        for (var i = 1_000; i < resampled.Length - 1_000; i++)
        {
            worst = Math.Max(worst, Math.Abs(resampled[i] - expected[i]));
        }

        output.WriteLine($"3 kHz, 44.101 kHz -> 16 kHz (interpolated phases): max error {worst:G3}");

        Assert.True(worst < 1e-3, $"max error {worst:G3}");
    }

    internal static ReadOnlySpan<float> Steady(float[] output) => output.AsSpan(output.Length / 8, output.Length * 3 / 4);
}
