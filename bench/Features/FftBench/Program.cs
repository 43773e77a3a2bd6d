// Our real FFT against FftSharp and Math.NET Numerics: first the largest relative difference of their power
// spectra of the same frame, then BenchmarkDotNet's timings (baseline: ours).
//
//   dotnet run -c Release --project bench/Features/FftBench
using System.Globalization;
using BenchmarkDotNet.Running;
using SpeechServe.Bench.Features;

var (ours, fftSharp, mathNet) = new PowerSpectrumBenchmarks().Spectra();
double MaxRelative(double[] other) => ours.Zip(other, (a, b) => Math.Abs(a - b) / Math.Max(Math.Abs(a), 1e-12)).Max();
Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"largest relative difference from ours: FftSharp {MaxRelative(fftSharp):E2}, Math.NET {MaxRelative(mathNet):E2}"));
BenchmarkRunner.Run<PowerSpectrumBenchmarks>(args: args);
