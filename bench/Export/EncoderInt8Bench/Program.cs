using System.Diagnostics;
using System.Globalization;
using SpeechServe.Bench.Export;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Onnx;

// Float32 vs int8 encoder throughput on this machine, same inputs, same process, runs interleaved.
// Usage: EncoderInt8Bench <model-dir> [batch=4] [seconds-of-audio=8] [iterations=20] [threads=0 (ORT default)]
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: EncoderInt8Bench <model-dir> [batch] [seconds] [iterations] [threads]");
    return 2;
}

var directory = args[0];
int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
var batch = Arg(1, 4);
var seconds = Arg(2, 8);
var iterations = Arg(3, 20);
var threads = Arg(4, 0);
var manifest = ModelManifest.Parse(File.ReadAllBytes(Path.Combine(directory, "model.json")));
if (manifest.EncoderInt8 is null)
{
    Console.Error.WriteLine("the model has no int8 encoder; export it with --quantize int8");
    return 1;
}

var frames = seconds * 100 / manifest.Architecture.ChunkFeatureFrames * manifest.Architecture.ChunkFeatureFrames;
using var environment = OnnxEnvironment.Create();
var options = new OnnxSessionOptions { IntraOpThreads = threads };
using var fp32 = environment.CreateSession(Path.Combine(directory, manifest.Encoder), options);
using var int8 = environment.CreateSession(Path.Combine(directory, manifest.EncoderInt8), options);
using var inputs = new EncoderInputs(manifest.Architecture, batch, frames, seed: 1);

double Once(OnnxSession session)
{
    var watch = Stopwatch.StartNew();
    using var results = session.Run(EncoderInputs.Names, inputs.Tensors);
    return watch.Elapsed.TotalMilliseconds;
}

for (var i = 0; i < 3; i++)
{
    Once(fp32);
    Once(int8);
}

var fp32Times = new List<double>();
var int8Times = new List<double>();
for (var i = 0; i < iterations; i++)
{
    fp32Times.Add(Once(fp32));
    int8Times.Add(Once(int8));
}

double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
var audioSeconds = batch * frames / 100.0;
Console.WriteLine($"ONNX Runtime {OnnxEnvironment.RuntimeVersion}, {Environment.ProcessorCount} cores, intra-op threads {(threads == 0 ? "default" : threads)}");
Console.WriteLine($"batch {batch} x {frames} feature frames ({audioSeconds:F2} s of audio per call), {iterations} interleaved iterations");
foreach (var (name, times) in new[] { ("fp32", fp32Times), ("int8", int8Times) })
{
    var median = Median(times);
    Console.WriteLine($"{name}: median {median:F1} ms/call, min {times.Min():F1} ms, {audioSeconds / (median / 1000):F1} s of audio per second");
}

Console.WriteLine($"int8 speedup (fp32 median / int8 median): {Median(fp32Times) / Median(int8Times):F2}x");
return 0;
