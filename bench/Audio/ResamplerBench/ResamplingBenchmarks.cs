using BenchmarkDotNet.Attributes;
using SpeechServe.Runtime.Audio;

namespace SpeechServe.Bench.Audio;

/// <summary>
/// Ten seconds of audio to 16 kHz, per request as the server does it (the resampler is built for each call):
/// the own <see cref="PolyphaseResampler"/> against NAudio's WDL resampler.
/// </summary>
[MemoryDiagnoser]
public class ResamplingBenchmarks
{
    private const int OutputRate = 16_000;
    private float[] _input = [];

    [Params(8_000, 22_050, 44_100, 48_000)]
    public int InputRate { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(InputRate);
        _input = new float[InputRate * 10];
        for (var i = 0; i < _input.Length; i++)
        {
            _input[i] = (float)((0.3 * Math.Sin(2 * Math.PI * 440 * i / InputRate)) + (0.1 * ((random.NextDouble() * 2) - 1)));
        }
    }

    [Benchmark(Baseline = true)]
    public float[] Polyphase() => new PolyphaseResampler(InputRate, OutputRate).Process(_input);

    [Benchmark]
    public float[] NAudioWdl() => WdlResampling.Process(_input, InputRate, OutputRate);
}
