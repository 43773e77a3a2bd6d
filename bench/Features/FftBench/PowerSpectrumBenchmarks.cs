using System.Numerics;
using BenchmarkDotNet.Attributes;
using MathNet.Numerics.IntegralTransforms;
using SpeechServe.Runtime.Features;

namespace SpeechServe.Bench.Features;

/// <summary>
/// The power spectrum of one windowed 512-sample frame (what the log-mel frontend computes 100 times per second of
/// audio): our <see cref="RealFft"/> against FftSharp and Math.NET Numerics, buffers allocated in setup where the
/// library allows it.
/// </summary>
[MemoryDiagnoser]
public class PowerSpectrumBenchmarks
{
    public const int Size = 512;

    private readonly RealFft _ours = new(Size);
    private readonly double[] _frame = Frame(seed: 7);
    private readonly double[] _power = new double[(Size / 2) + 1];
    private readonly Complex[] _complex = new Complex[Size];
    private readonly double[] _mathNetBuffer = new double[Size + 2];

    [Benchmark(Baseline = true)]
    public double Ours()
    {
        _ours.PowerSpectrum(_frame, _power);
        return _power[1];
    }

    [Benchmark]
    public double FftSharpComplex()
    {
        for (var i = 0; i < Size; i++)
        {
            _complex[i] = new Complex(_frame[i], 0);
        }

        FftSharp.FFT.Forward(_complex);
        for (var k = 0; k < _power.Length; k++)
        {
            _power[k] = (_complex[k].Real * _complex[k].Real) + (_complex[k].Imaginary * _complex[k].Imaginary);
        }

        return _power[1];
    }

    [Benchmark]
    public double MathNetReal()
    {
        _frame.CopyTo(_mathNetBuffer, 0);
        Fourier.ForwardReal(_mathNetBuffer, Size, FourierOptions.NoScaling);
        for (var k = 0; k < _power.Length; k++)
        {
            _power[k] = (_mathNetBuffer[2 * k] * _mathNetBuffer[2 * k]) + (_mathNetBuffer[(2 * k) + 1] * _mathNetBuffer[(2 * k) + 1]);
        }

        return _power[1];
    }

    /// <summary>The three spectra of the same frame, for the agreement check printed before the timings.</summary>
    public (double[] Ours, double[] FftSharp, double[] MathNet) Spectra()
    {
        Ours();
        var ours = (double[])_power.Clone();
        FftSharpComplex();
        var fftSharp = (double[])_power.Clone();
        MathNetReal();
        return (ours, fftSharp, (double[])_power.Clone());
    }

    private static double[] Frame(int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, Size).Select(i => (random.NextDouble() - 0.5) * (0.5 - (0.5 * Math.Cos(2 * Math.PI * i / (Size - 1)))))];
    }
}
