using System.Globalization;
using BenchmarkDotNet.Running;
using NAudio.Wave;
using SpeechServe.Bench.Audio;
using SpeechServe.Runtime.Audio;

// The own polyphase resampler against NAudio's WDL resampler (docs/audio.md, README "Written by hand").
//   ResamplerBench speed [BenchmarkDotNet arguments]   time and allocations, 10 s of audio to 16 kHz
//   ResamplerBench resample <in.wav> <out-directory>   writes polyphase.wav and wdl.wav (16 kHz) to transcribe
//   ResamplerBench tones                               levels of a passband and a stopband tone after each
switch (args.FirstOrDefault())
{
    case "speed":
        BenchmarkRunner.Run<ResamplingBenchmarks>(args: args[1..]);
        return 0;
    case "resample" when args.Length == 3:
        var audio = WavParser.Parse(File.ReadAllBytes(args[1]));
        var rate = audio.Format.SampleRate;
        Directory.CreateDirectory(args[2]);
        Write(Path.Combine(args[2], "polyphase.wav"), new PolyphaseResampler(rate, 16_000).Process(audio.Samples));
        Write(Path.Combine(args[2], "wdl.wav"), WdlResampling.Process(audio.Samples, rate, 16_000));
        return 0;
    case "tones":
        Console.WriteLine("| input rate | tone | polyphase level | NAudio WDL level |");
        Console.WriteLine("| ---: | ---: | ---: | ---: |");
        foreach (var (inputRate, frequency) in new[] { (44_100, 1_000.0), (44_100, 3_500.0), (48_000, 7_000.0), (22_050, 9_000.0), (44_100, 9_000.0), (48_000, 10_000.0), (48_000, 12_000.0) })
        {
            var tone = Enumerable.Range(0, inputRate).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * frequency * i / inputRate))).ToArray();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {inputRate} | {frequency:F0} Hz | {LevelDb(new PolyphaseResampler(inputRate, 16_000).Process(tone)):F1} dB | {LevelDb(WdlResampling.Process(tone, inputRate, 16_000)):F1} dB |"));
        }

        return 0;
    default:
        Console.Error.WriteLine("usage: ResamplerBench speed [BenchmarkDotNet arguments] | resample <in.wav> <out-directory> | tones");
        return 2;
}

// The RMS level of the middle half of the output relative to the input tone's (amplitude 0.5), in dB.
static double LevelDb(float[] output)
{
    var middle = output.AsSpan(output.Length / 4, output.Length / 2);
    var power = 0.0;
    foreach (var sample in middle)
    {
        power += sample * sample;
    }

    return 10 * Math.Log10(power / middle.Length / 0.125);
}

static void Write(string path, float[] samples)
{
    using var writer = new WaveFileWriter(path, WaveFormat.CreateIeeeFloatWaveFormat(16_000, 1));
    writer.WriteSamples(samples, 0, samples.Length);
}
