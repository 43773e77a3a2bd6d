using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using SpeechServe.Bench.Export;
using SpeechServe.Runtime.Encoder;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Onnx;

// Float32 vs int8 encoder throughput on this machine, same inputs, same process, runs interleaved; prints a
// markdown table (one row per batch size) and how it was measured, for docs/benchmarks.md.
// Usage: EncoderInt8Bench <model-dir> [batches=1,4] [seconds-of-audio=8] [iterations=20] [threads=0 (ORT default)] [profile]
// With "profile", ONNX Runtime profiles both sessions (which slows them) and the table gives each operator type's
// time per call instead of the speeds; give one batch size then, as the profile covers every run.
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: EncoderInt8Bench <model-dir> [batches] [seconds] [iterations] [threads]");
    return 2;
}

var directory = args[0];
int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
int[] batches = args.Length > 1 ? [.. args[1].Split(',').Select(b => int.Parse(b, CultureInfo.InvariantCulture))] : [1, 4];
var seconds = Arg(2, 8);
var iterations = Arg(3, 20);
var threads = Arg(4, 0);
var profile = args.Length > 5 && args[5] == "profile";
var manifest = ModelManifest.Parse(File.ReadAllBytes(Path.Combine(directory, "model.json")));
if (manifest.EncoderInt8 is null)
{
    Console.Error.WriteLine("the model has no int8 encoder; export it with --quantize int8");
    return 1;
}

var frames = seconds * 100 / manifest.Architecture.ChunkFeatureFrames * manifest.Architecture.ChunkFeatureFrames;
var profileDirectory = profile ? Directory.CreateTempSubdirectory("encoder-profile") : null;
var sessions = new OnnxSessionFactory(NullLogger.Instance, threads) { ProfilePathPrefix = profileDirectory is null ? null : Path.Combine(profileDirectory.FullName, "session") };
using var fp32 = sessions.Create(Path.Combine(directory, manifest.Encoder), OnnxExecutionProvider.Cpu, out _);
using var int8 = sessions.Create(Path.Combine(directory, manifest.EncoderInt8), OnnxExecutionProvider.Cpu, out _);
using var runOptions = new RunOptions();

var speeds = new List<string>
{
    "| batch x audio per call | fp32 median ms | fp32 min ms | int8 median ms | int8 min ms | fp32 audio s per s | int8 audio s per s | int8 speedup |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
};
foreach (var batch in batches)
{
    using var inputs = new EncoderInputs(manifest.Architecture, batch, frames, seed: 1);
    double Once(InferenceSession session)
    {
        var watch = Stopwatch.StartNew();
        using var results = session.Run(runOptions, EncoderGraphNames.Inputs, inputs.Tensors, EncoderGraphNames.Outputs);
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
    var (fp32Median, int8Median) = (Median(fp32Times), Median(int8Times));
    speeds.Add(string.Create(
        CultureInfo.InvariantCulture,
        $"| {batch} x {frames / 100.0:F2} s ({frames} frames) | {fp32Median:F1} | {fp32Times.Min():F1} | {int8Median:F1} | {int8Times.Min():F1} | {audioSeconds / (fp32Median / 1000):F1} | {audioSeconds / (int8Median / 1000):F1} | {fp32Median / int8Median:F2}x |"));
}

var command = $"`EncoderInt8Bench {Path.GetFileName(Path.TrimEndingDirectorySeparator(directory))} {string.Join(',', batches)} {seconds} {iterations} {threads}{(profile ? " profile" : "")}`";
var setup = string.Create(
    CultureInfo.InvariantCulture,
    $"both encoders of the model in one process, ONNX Runtime {OnnxRuntimeEnvironment.Version}, intra-op threads {(threads == 0 ? "ONNX Runtime's default" : threads)}; the same inputs (seeded random features, empty caches, identity adapters) in one call per run (full-utterance attention with the chunk mask), 3 warm-up runs each, then {iterations} runs interleaved fp32/int8");
if (profileDirectory is not null)
{
    var fp32Profile = OperatorProfile.Read(fp32.EndProfiling());
    var int8Profile = OperatorProfile.Read(int8.EndProfiling());
    profileDirectory.Delete(recursive: true);
    Console.Write(OperatorProfile.Compare("fp32", fp32Profile, "int8", int8Profile));
    Console.WriteLine();
    Console.WriteLine($"{command}: {setup}, profiled by ONNX Runtime (warm-up runs included); *ms per call*: the operator type's summed node time over the runs, per run; *share*: of all node time.");
    return 0;
}

speeds.ForEach(Console.WriteLine);
Console.WriteLine();
Console.WriteLine($"{command}: {setup}; *int8 speedup* = fp32 median / int8 median.");
return 0;
