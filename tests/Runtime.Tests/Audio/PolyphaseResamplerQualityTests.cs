using SpeechServe.Runtime.Audio;
using Xunit.Abstractions;

namespace SpeechServe.Runtime.Tests.Audio;

/// <summary>
/// Measures passband ripple and stopband attenuation with tone sweeps; the figures in docs/audio.md and in
/// <see cref="PolyphaseResampler"/>'s remarks come from this test's output.
/// </summary>
public class PolyphaseResamplerQualityTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(8_000)]
    [InlineData(22_050)]
    [InlineData(44_100)]
    [InlineData(48_000)]
    public void Process_PassbandSweep_RippleUnderOneHundredthDb(int inputRate)
    {
        var resampler = new PolyphaseResampler(inputRate, 16_000);
        var edge = PolyphaseResampler.PassbandEdge * Math.Min(inputRate, 16_000) / 2;
        var worst = 0.0;
        foreach (var frequency in Sweep(20, edge, 60))
        {
            var result = resampler.Process(TestSignals.Sine(frequency, inputRate, 0.5));
            var gainDb = 20 * Math.Log10(TestSignals.ToneAmplitude(PolyphaseResamplerTests.Steady(result), frequency, 16_000) / 0.5);
            worst = Math.Max(worst, Math.Abs(gainDb));
        }

        output.WriteLine($"{inputRate} Hz -> 16 kHz: passband 20..{edge:F0} Hz, max |gain| {worst:F5} dB, {resampler.TapsPerPhase} taps per phase");
        Assert.True(worst < 0.01, $"passband ripple {worst:F4} dB");
    }

    [Theory]
    [InlineData(22_050)]
    [InlineData(44_100)]
    [InlineData(48_000)]
    [InlineData(96_000)]
    public void Process_StopbandSweep_AttenuatesByMoreThan80Db(int inputRate)
    {
        var resampler = new PolyphaseResampler(inputRate, 16_000);
        var worst = double.NegativeInfinity;
        var worstFrequency = 0.0;
        foreach (var frequency in Sweep(8_000 * PolyphaseResampler.StopbandEdge, (inputRate / 2.0) - 50, 60))
        {
            var result = resampler.Process(TestSignals.Sine(frequency, inputRate, 0.5));
            var levelDb = 20 * Math.Log10(TestSignals.Rms(PolyphaseResamplerTests.Steady(result)) * Math.Sqrt(2) / 0.5);
            if (levelDb > worst)
            {
                (worst, worstFrequency) = (levelDb, frequency);
            }
        }

        output.WriteLine($"{inputRate} Hz -> 16 kHz: stopband 8000..{inputRate / 2} Hz, worst {worst:F1} dB at {worstFrequency:F0} Hz");
        Assert.True(worst < -80, $"stopband leak {worst:F1} dB at {worstFrequency:F0} Hz");
    }

    private static IEnumerable<double> Sweep(double from, double to, int count) =>
        Enumerable.Range(0, count).Select(i => from + ((to - from) * i / (count - 1)));
}
