using System.Globalization;
using SpeechServe.Bench.Streaming;
using SpeechServe.Runtime.Audio;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Onnx;
using SpeechServe.Runtime.Streaming;

// Usage: speechserve-bench-streaming <model-dir> <speech.wav> [seconds-per-stream] [max-streams]
// Streams the WAV (looped to the given length) through StreamingSession at real-time pace, 100 ms per
// frame, for 1, 2, 4, ... concurrent streams, and prints latencies; see docs/benchmarks.md.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: speechserve-bench-streaming <model-dir> <speech.wav> [seconds-per-stream=8] [max-streams=64]");
    return 2;
}

var seconds = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 8;
var maxStreams = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 64;
var wav = WavParser.Parse(File.ReadAllBytes(args[1]));
var audio = Loop(new PolyphaseResampler(wav.Format.SampleRate, 16_000).Process(wav.Samples), (int)(seconds * 16_000));

using var environment = OnnxEnvironment.Create();
using var model = SpeechModel.Load(args[0], environment, new OnnxSessionOptions { IntraOpThreads = 1 });
var recognizer = new StreamingRecognizer(model.Encoder, model.Vocabulary);

Console.WriteLine($"{Environment.ProcessorCount} cores, {seconds} s of audio per stream, chunk 320 ms, frames of 100 ms, one encoder call per chunk and stream (no cross-stream batching)");
Console.WriteLine("streams | first partial p50/p95 ms | final after end p50/p95 ms | chunk latency p50/p95 ms | real time");
var best = 0;
for (var streams = 1; streams <= maxStreams; streams *= 2)
{
    var result = await LoadRun.RunAsync(recognizer, model.BaseAdapter, audio, streams);
    var ok = result.ChunkLatencies.Percentile(95) < 320;
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"{streams,7} | {result.FirstPartial.Percentile(50),8:F0} / {result.FirstPartial.Percentile(95),5:F0} | {result.FinalLatency.Percentile(50),10:F0} / {result.FinalLatency.Percentile(95),5:F0} | {result.ChunkLatencies.Percentile(50),8:F1} / {result.ChunkLatencies.Percentile(95),6:F1} | {(ok ? "yes" : "no")}"));
    if (!ok)
    {
        break;
    }

    best = streams;
}

Console.WriteLine($"largest tested number of concurrent real-time streams with p95 chunk latency < 320 ms: {best}");
return 0;

static float[] Loop(float[] samples, int length)
{
    var output = new float[length];
    for (var i = 0; i < length; i++)
    {
        output[i] = samples[i % samples.Length];
    }

    return output;
}
