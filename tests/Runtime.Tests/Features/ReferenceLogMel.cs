namespace SpeechServe.Runtime.Tests.Features;

/// <summary>
/// docs/model.md's frontend written the slow, obvious way: a direct O(N²) DFT per frame and a dense filter
/// matrix evaluated from the torchaudio formulas, all in double.
/// </summary>
internal static class ReferenceLogMel
{
    public static double[,] Compute(float[] waveform)
    {
        var frames = waveform.Length < 400 ? 0 : 1 + ((waveform.Length - 400) / 160);
        var filters = Filters();
        var features = new double[frames, 80];
        var power = new double[257];
        for (var f = 0; f < frames; f++)
        {
            for (var k = 0; k < 257; k++)
            {
                double re = 0, im = 0;
                for (var n = 0; n < 400; n++)
                {
                    var x = waveform[(f * 160) + n] * (0.5 - (0.5 * Math.Cos(2 * Math.PI * n / 400)));
                    var angle = 2 * Math.PI * k * n / 512;
                    re += x * Math.Cos(angle);
                    im -= x * Math.Sin(angle);
                }

                power[k] = (re * re) + (im * im);
            }

            for (var m = 0; m < 80; m++)
            {
                double energy = 0;
                for (var k = 0; k < 257; k++)
                {
                    energy += filters[k, m] * power[k];
                }

                features[f, m] = Math.Log(Math.Max(energy, 1e-10));
            }
        }

        return features;
    }

    public static double[,] Filters()
    {
        static double Mel(double hz) => 2595 * Math.Log10(1 + (hz / 700));
        static double Hz(double mel) => 700 * (Math.Pow(10, mel / 2595) - 1);
        var points = Enumerable.Range(0, 82).Select(i => Hz(Mel(8000) * i / 81)).ToArray();
        var filters = new double[257, 80];
        for (var k = 0; k < 257; k++)
        {
            var hz = k * 8000.0 / 256;
            for (var m = 0; m < 80; m++)
            {
                var rising = (hz - points[m]) / (points[m + 1] - points[m]);
                var falling = (points[m + 2] - hz) / (points[m + 2] - points[m + 1]);
                filters[k, m] = Math.Max(0, Math.Min(rising, falling));
            }
        }

        return filters;
    }

    /// <summary>A test waveform: tones, a chirp, noise and a stretch of near-silence.</summary>
    public static float[] TestWaveform(int samples, int seed)
    {
        var random = new Random(seed);
        var waveform = new float[samples];
        for (var i = 0; i < samples; i++)
        {
            var t = i / 16_000.0;
            var quiet = i > samples / 2 && i < (samples / 2) + 3_000;
            var value = (0.3 * Math.Sin(2 * Math.PI * 220 * t))
                + (0.2 * Math.Sin(2 * Math.PI * (500 + (3000 * t)) * t))
                + (0.05 * ((random.NextDouble() * 2) - 1));
            waveform[i] = (float)(quiet ? value * 1e-4 : value);
        }

        return waveform;
    }
}
