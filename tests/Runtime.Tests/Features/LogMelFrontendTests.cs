using SpeechServe.Runtime.Features;

namespace SpeechServe.Runtime.Tests.Features;

public class LogMelFrontendTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(399, 0)]
    [InlineData(400, 1)]
    [InlineData(559, 1)]
    [InlineData(560, 2)]
    [InlineData(16_000, 98)]
    [InlineData(16_000 * 60, 5_998)]
    public void FrameCount_SampleCount_FollowsNoPaddingFormula(int samples, int expected)
    {
        Assert.Equal(expected, LogMelSpec.FrameCount(samples));
        Assert.Equal(expected * 80, LogMelFrontend.Compute(new float[samples]).Length);
    }

    [Fact]
    public void Compute_TestWaveform_MatchesDirectDftReference()
    {
        var waveform = ReferenceLogMel.TestWaveform(16_000, seed: 1);

        var features = LogMelFrontend.Compute(waveform);
        var reference = ReferenceLogMel.Compute(waveform);

        var worst = 0.0;
        for (var f = 0; f < reference.GetLength(0); f++)
        {
            for (var m = 0; m < 80; m++)
            {
                worst = Math.Max(worst, Math.Abs(features[(f * 80) + m] - reference[f, m]));
            }
        }

        Assert.True(worst < 1e-4, $"max abs difference {worst:G3}");
    }

    [Fact]
    public void Compute_Silence_GivesLogFloor()
    {
        var features = LogMelFrontend.Compute(new float[1_000]);

        Assert.All(features, value => Assert.Equal((float)Math.Log(1e-10), value));
    }

    [Fact]
    public void Compute_Tone_PeaksInTheMelBinHoldingItsFrequency()
    {
        var waveform = Enumerable.Range(0, 4_000).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * 1_000 * i / 16_000.0))).ToArray();

        var features = LogMelFrontend.Compute(waveform);

        var frame = features.AsSpan(80, 80).ToArray();
        var peak = Array.IndexOf(frame, frame.Max());
        var centre = MelFilterBank.MelToHz(MelFilterBank.HzToMel(8_000) * (peak + 1) / 81);
        Assert.InRange(centre, 900, 1_100);
    }

    [Fact]
    public void Compute_DestinationTooShort_Throws()
    {
        Assert.Throws<ArgumentException>(() => LogMelFrontend.Compute(new float[560], new float[80]));
    }

    [Fact]
    public void MelFilterBank_Reference_MatchesDenseTorchaudioFormula()
    {
        var dense = ReferenceLogMel.Filters();
        var bank = MelFilterBank.Reference;

        for (var k = 0; k < 257; k++)
        {
            for (var m = 0; m < 80; m++)
            {
                Assert.Equal(dense[k, m], bank.Weight(k, m), 12);
            }
        }
    }

    [Fact]
    public void MelFilterBank_Reference_EveryFilterHasWeight()
    {
        var bank = MelFilterBank.Reference;

        for (var m = 0; m < 80; m++)
        {
            Assert.True(Enumerable.Range(0, 257).Sum(k => bank.Weight(k, m)) > 0, $"filter {m} is empty");
        }
    }
}
