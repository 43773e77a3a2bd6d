namespace SpeechServe.Runtime.Tests.Audio;

/// <summary>Known signals and measurements for audio tests.</summary>
internal static class TestSignals
{
    public static float[] Sine(double frequency, int sampleRate, double seconds, double amplitude = 0.5, double phase = 0)
    {
        var samples = new float[(int)Math.Round(seconds * sampleRate)];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)(amplitude * Math.Sin((2 * Math.PI * frequency * i / sampleRate) + phase));
        }

        return samples;
    }

    /// <summary>Interleaves equal-length channels.</summary>
    public static float[] Interleave(params float[][] channels)
    {
        var frames = channels[0].Length;
        var output = new float[frames * channels.Length];
        for (var i = 0; i < frames; i++)
        {
            for (var c = 0; c < channels.Length; c++)
            {
                output[(i * channels.Length) + c] = channels[c][i];
            }
        }

        return output;
    }

    /// <summary>The amplitude of the <paramref name="frequency"/> component, by least squares on sin and cos.</summary>
    public static double ToneAmplitude(ReadOnlySpan<float> signal, double frequency, int sampleRate)
    {
        double ss = 0, cc = 0, sc = 0, ys = 0, yc = 0;
        for (var i = 0; i < signal.Length; i++)
        {
            var angle = 2 * Math.PI * frequency * i / sampleRate;
            var s = Math.Sin(angle);
            var c = Math.Cos(angle);
            ss += s * s;
            cc += c * c;
            sc += s * c;
            ys += signal[i] * s;
            yc += signal[i] * c;
        }

        var det = (ss * cc) - (sc * sc);
        var a = ((ys * cc) - (yc * sc)) / det;
        var b = ((yc * ss) - (ys * sc)) / det;
        return Math.Sqrt((a * a) + (b * b));
    }

    public static double Rms(ReadOnlySpan<float> signal)
    {
        double sum = 0;
        foreach (var x in signal)
        {
            sum += x * x;
        }

        return Math.Sqrt(sum / signal.Length);
    }

    /// <summary>Normalised cross-correlation at lag 0.</summary>
    public static double Correlation(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var n = Math.Min(a.Length, b.Length);
        double ab = 0, aa = 0, bb = 0;
        for (var i = 0; i < n; i++)
        {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }

        return ab / Math.Sqrt(aa * bb);
    }
}
