using System.Numerics;
using System.Runtime.InteropServices;

namespace SpeechServe.Runtime.Audio;

/// <summary>
/// Band-limited sample-rate conversion by a Kaiser-windowed sinc, evaluated as a polyphase filter bank.
/// </summary>
/// <remarks>
/// <para>
/// Design: the low-pass cutoff sits at 0.95 of the lower Nyquist frequency, with the passband edge at 0.90 and
/// the stopband edge at 1.00 of it (so nothing above the output Nyquist folds back), and the Kaiser window is
/// sized for 90 dB of stopband attenuation. The filter is zero-phase: output sample n is the band-limited
/// input evaluated exactly at time n / outputRate. For a rational ratio L/M with L ≤ 1024 (every common rate:
/// 8, 11.025, 22.05, 44.1, 48, 96 kHz ...) each of the L phases has its own exact filter; for other ratios 1024
/// phases are tabulated and adjacent phases interpolated linearly. Each phase is normalised to unit DC gain.
/// </para>
/// <para>
/// Measured by <c>PolyphaseResamplerQualityTests</c> and <c>PolyphaseResamplerTests</c> (tone sweeps, 60 tones
/// per band, amplitude by least squares on the steady part): passband (20 Hz .. 0.9 × lower Nyquist) gain within
/// ±0.0002 dB for 8, 22.05, 44.1 and 48 kHz to 16 kHz; stopband (tones from 8 kHz to the input Nyquist) at most
/// -92.6 dB (22.05 kHz), -100.9 dB (44.1 kHz), -94.6 dB (48 kHz), -98.0 dB (96 kHz); a 1 kHz tone at 44.1 kHz
/// keeps its amplitude within 0.0001 dB and a 10 kHz tone at 48 kHz comes out at -103 dB. Recorded in docs/audio.md.
/// </para>
/// <para>
/// Kept over NAudio's <c>WdlResamplingSampleProvider</c> after comparing transcripts, speed and tones
/// (<c>bench/Audio</c>; the figures are in the README, "Written by hand").
/// </para>
/// </remarks>
public sealed class PolyphaseResampler
{
    /// <summary>The stopband attenuation the window is designed for, in dB.</summary>
    public const double DesignAttenuationDb = 90;

    /// <summary>The passband edge as a fraction of the lower Nyquist frequency.</summary>
    public const double PassbandEdge = 0.90;

    /// <summary>The stopband edge as a fraction of the lower Nyquist frequency.</summary>
    public const double StopbandEdge = 1.00;

    private const int MaxExactPhases = 1024;

    private readonly long _up;
    private readonly long _down;
    private readonly int _phases;
    private readonly int _taps;
    private readonly int _halfTaps;
    private readonly float[] _bank;

    /// <summary>Designs a resampler from <paramref name="inputRate"/> to <paramref name="outputRate"/> Hz.</summary>
    public PolyphaseResampler(int inputRate, int outputRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputRate);
        InputRate = inputRate;
        OutputRate = outputRate;
        var gcd = Gcd(inputRate, outputRate);
        _up = outputRate / gcd;
        _down = inputRate / gcd;

        // Work in input samples: the cutoff and transition are fractions of the input rate.
        var lowerNyquist = Math.Min(inputRate, outputRate) / 2.0;
        var cutoff = (PassbandEdge + StopbandEdge) / 2 * lowerNyquist / inputRate;
        var transition = (StopbandEdge - PassbandEdge) * lowerNyquist / inputRate;
        _halfTaps = Math.Max(2, (int)Math.Ceiling(KaiserWindow.Length(DesignAttenuationDb, transition) / 2));
        _taps = 2 * _halfTaps;
        _phases = _up <= MaxExactPhases ? (int)_up : MaxExactPhases;
        _bank = BuildBank(cutoff, KaiserWindow.Beta(DesignAttenuationDb));
    }

    /// <summary>The input sample rate in Hz.</summary>
    public int InputRate { get; }

    /// <summary>The output sample rate in Hz.</summary>
    public int OutputRate { get; }

    /// <summary>Filter taps applied per output sample (per phase).</summary>
    public int TapsPerPhase => _taps;

    /// <summary>The number of output samples for <paramref name="inputLength"/> input samples: ceil(n × out / in).</summary>
    public long OutputLength(long inputLength) => ((inputLength * _up) + _down - 1) / _down;

    /// <summary>Resamples a whole signal; samples outside the input are taken as zero.</summary>
    public float[] Process(ReadOnlySpan<float> input)
    {
        if (_up == _down)
        {
            return input.ToArray();
        }

        var output = new float[OutputLength(input.Length)];
        var padded = new float[input.Length + (2 * _taps)];
        input.CopyTo(padded.AsSpan(_taps));
        for (long n = 0; n < output.Length; n++)
        {
            output[n] = Evaluate(n, padded.AsSpan((int)(WindowStart(n) + _taps), _taps));
        }

        return output;
    }

    /// <summary>
    /// The first input index of output sample <paramref name="n"/>'s window of <see cref="TapsPerPhase"/> inputs
    /// (negative near the start, where the inputs are zeros).
    /// </summary>
    public long WindowStart(long n) => (n * _down / _up) - _halfTaps + 1;

    /// <summary>
    /// Output sample <paramref name="n"/> from its window of inputs, starting at <see cref="WindowStart(long)"/>;
    /// the same arithmetic as <see cref="Process(ReadOnlySpan{float})"/>, so streaming callers match it bit for bit.
    /// </summary>
    public float Evaluate(long n, ReadOnlySpan<float> window)
    {
        if (window.Length != _taps)
        {
            throw new ArgumentException($"The window must hold {_taps} samples.", nameof(window));
        }

        var remainder = n * _down % _up;
        var bank = _bank.AsSpan();
        if (_phases == _up)
        {
            return Dot(bank.Slice((int)remainder * _taps, _taps), window);
        }

        var exact = (double)remainder * _phases / _up;
        var phase = (int)exact;
        var fraction = (float)(exact - phase);
        var a = Dot(bank.Slice(phase * _taps, _taps), window);
        var b = Dot(bank.Slice((phase + 1) * _taps, _taps), window);
        return a + (fraction * (b - a));
    }

    private float[] BuildBank(double cutoff, double beta)
    {
        // One extra phase (fraction 1) so that interpolation between the last phase and the next sample works.
        var bank = new float[(_phases + 1) * _taps];
        var coefficients = new double[_taps];
        for (var p = 0; p <= _phases; p++)
        {
            var fraction = (double)p / _phases;
            double sum = 0;
            for (var j = 0; j < _taps; j++)
            {
                // Tap j multiplies input index baseIndex - halfTaps + 1 + j; its distance from the output time.
                var t = fraction + _halfTaps - 1 - j;
                var value = 2 * cutoff * Sinc(2 * cutoff * t) * KaiserWindow.Value(t, _halfTaps, beta);
                coefficients[j] = value;
                sum += value;
            }

            for (var j = 0; j < _taps; j++)
            {
                bank[(p * _taps) + j] = (float)(coefficients[j] / sum);
            }
        }

        return bank;
    }

    private static float Dot(ReadOnlySpan<float> taps, ReadOnlySpan<float> samples)
    {
        var accumulator = Vector<float>.Zero;
        var i = 0;
        if (Vector.IsHardwareAccelerated && taps.Length >= Vector<float>.Count)
        {
            var tapVectors = MemoryMarshal.Cast<float, Vector<float>>(taps);
            var sampleVectors = MemoryMarshal.Cast<float, Vector<float>>(samples);
            for (var v = 0; v < tapVectors.Length; v++)
            {
                accumulator += tapVectors[v] * sampleVectors[v];
            }

            i = tapVectors.Length * Vector<float>.Count;
        }

        var sum = Vector.Sum(accumulator);
        for (; i < taps.Length; i++)
        {
            sum += taps[i] * samples[i];
        }

        return sum;
    }

    private static double Sinc(double x) => x == 0 ? 1 : Math.Sin(Math.PI * x) / (Math.PI * x);

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
