using System.Numerics;

namespace SpeechServe.Runtime.Features;

/// <summary>
/// Triangular HTK-mel filters over power-spectrum bins, built like
/// <c>torchaudio.functional.melscale_fbanks(n_freqs, f_min, f_max, n_mels, sample_rate, norm=None, mel_scale="htk")</c>,
/// stored sparsely (each filter's first non-zero bin and its weights).
/// </summary>
public sealed class MelFilterBank
{
    private readonly int[] _start;
    private readonly double[][] _weights;

    /// <summary>Builds the filters for <paramref name="frequencyBins"/> bins spanning 0 .. sampleRate / 2.</summary>
    public MelFilterBank(int frequencyBins, int melBins, double minFrequency, double maxFrequency, int sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frequencyBins, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(melBins);
        FrequencyBins = frequencyBins;
        MelBins = melBins;
        var dense = Dense(frequencyBins, melBins, minFrequency, maxFrequency, sampleRate);
        _start = new int[melBins];
        _weights = new double[melBins][];
        for (var m = 0; m < melBins; m++)
        {
            var first = 0;
            while (first < frequencyBins && dense[first, m] == 0)
            {
                first++;
            }

            var last = frequencyBins - 1;
            while (last >= first && dense[last, m] == 0)
            {
                last--;
            }

            _start[m] = Math.Min(first, frequencyBins);
            _weights[m] = new double[Math.Max(0, last - first + 1)];
            for (var k = first; k <= last; k++)
            {
                _weights[m][k - first] = dense[k, m];
            }
        }
    }

    /// <summary>The filters of docs/model.md: 257 bins, 80 filters, 0 .. 8000 Hz, 16 kHz.</summary>
    public static MelFilterBank Reference { get; } = new(
        LogMelSpec.FrequencyBins, LogMelSpec.MelBins, LogMelSpec.MinFrequency, LogMelSpec.MaxFrequency, LogMelSpec.SampleRate);

    /// <summary>Power-spectrum bins the filters read.</summary>
    public int FrequencyBins { get; }

    /// <summary>Number of filters.</summary>
    public int MelBins { get; }

    /// <summary>The weight of bin <paramref name="bin"/> in filter <paramref name="mel"/>.</summary>
    public double Weight(int bin, int mel)
    {
        var offset = bin - _start[mel];
        return offset >= 0 && offset < _weights[mel].Length ? _weights[mel][offset] : 0;
    }

    /// <summary>HTK mel: 2595 log10(1 + f / 700).</summary>
    public static double HzToMel(double hz) => 2595 * Math.Log10(1 + (hz / 700));

    /// <summary>Inverse of <see cref="HzToMel"/>.</summary>
    public static double MelToHz(double mel) => 700 * (Math.Pow(10, mel / 2595) - 1);

    /// <summary>Applies the filters: <c>energies[m] = Σ_k weight[k, m] · power[k]</c>.</summary>
    public void Apply(ReadOnlySpan<double> power, Span<double> energies)
    {
        for (var m = 0; m < MelBins; m++)
        {
            energies[m] = Dot(_weights[m], power.Slice(_start[m], _weights[m].Length));
        }
    }

    private static double Dot(ReadOnlySpan<double> weights, ReadOnlySpan<double> values)
    {
        var i = 0;
        var sum = 0.0;
        if (Vector.IsHardwareAccelerated && weights.Length >= Vector<double>.Count)
        {
            var accumulator = Vector<double>.Zero;
            for (; i <= weights.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                accumulator += new Vector<double>(weights[i..]) * new Vector<double>(values[i..]);
            }

            sum = Vector.Sum(accumulator);
        }

        for (; i < weights.Length; i++)
        {
            sum += weights[i] * values[i];
        }

        return sum;
    }

    private static double[,] Dense(int frequencyBins, int melBins, double minFrequency, double maxFrequency, int sampleRate)
    {
        // all_freqs = linspace(0, sample_rate // 2, n_freqs);
        // f_pts = mel_to_hz(linspace(mel(f_min), mel(f_max), n_mels + 2)).
        var nyquist = sampleRate / 2;
        var binHz = new double[frequencyBins];
        for (var k = 0; k < frequencyBins; k++)
        {
            binHz[k] = (double)nyquist * k / (frequencyBins - 1);
        }

        var melMin = HzToMel(minFrequency);
        var melMax = HzToMel(maxFrequency);
        var points = new double[melBins + 2];
        for (var i = 0; i < points.Length; i++)
        {
            points[i] = MelToHz(melMin + ((melMax - melMin) * i / (melBins + 1)));
        }

        var dense = new double[frequencyBins, melBins];
        for (var k = 0; k < frequencyBins; k++)
        {
            for (var m = 0; m < melBins; m++)
            {
                var down = (binHz[k] - points[m]) / (points[m + 1] - points[m]);
                var up = (points[m + 2] - binHz[k]) / (points[m + 2] - points[m + 1]);
                dense[k, m] = Math.Max(0, Math.Min(down, up));
            }
        }

        return dense;
    }
}
