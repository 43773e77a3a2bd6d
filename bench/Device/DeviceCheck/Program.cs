// Runs the encoder and transcriptions of a model repository on CUDA and on the CPU, compares them and times them.
//
//   DeviceCheck MODEL_DIR ITERATIONS WAV...
//
// Prints a markdown section on stdout. Where CUDA cannot be used it says why, checks the CPU alone and exits 0:
// the fallback is the expected outcome on a machine without a GPU.
using System.Diagnostics;
using System.Globalization;
using SpeechServe.Bench.Device;
using SpeechServe.Runtime.Audio;
using SpeechServe.Runtime.Encoder;
using SpeechServe.Runtime.Features;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Onnx;
using SpeechServe.Runtime.Recognition;

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: DeviceCheck MODEL_DIR ITERATIONS WAV...");
    return 2;
}

var directory = args[0];
var iterations = int.Parse(args[1], CultureInfo.InvariantCulture);
var clips = args[2..].Select(path => AudioDecoder.DecodeWav(File.ReadAllBytes(path)).Samples).ToArray();

var warnings = new WarningCollector();
var sessions = new OnnxSessionFactory(warnings);
using var cpu = SpeechModel.Load(directory, sessions, OnnxExecutionProvider.Cpu);
using var cuda = SpeechModel.Load(directory, sessions, OnnxExecutionProvider.Cuda);
var onCuda = cuda.Encoder.ExecutionProvider == OnnxExecutionProvider.Cuda;

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ONNX Runtime {OnnxRuntimeEnvironment.Version}, model {cpu.Id}, {clips.Length} clips ({clips.Sum(c => c.Length) / 16000.0:F1} s of audio)."));
Console.WriteLine();
if (!onCuda)
{
    Console.WriteLine("CUDA is not available here, so the model ran on the CPU (the fallback):");
    Console.WriteLine();
    // The messages name the output directory; print the library names alone.
    foreach (var warning in warnings.Messages.Distinct())
    {
        Console.WriteLine($"    {warning.Replace(AppContext.BaseDirectory, string.Empty, StringComparison.Ordinal).ReplaceLineEndings(" ").Trim()}");
    }

    Console.WriteLine();
}

var requests = clips.Select(samples => new EncoderRequest(LogMelFrontend.Compute(samples), LogMelSpec.FrameCount(samples.Length), cpu.BaseAdapter)).ToArray();
var cpuEncoder = new OfflineEncoder(cpu.Encoder);
var cudaEncoder = new OfflineEncoder(cuda.Encoder);
var maxDifference = requests.Max(request => MaxAbsDifference(cpuEncoder.Encode([request])[0], cudaEncoder.Encode([request])[0]));

await using var cpuRecognizer = new SpeechRecognizer(cpu.Encoder, cpu.Vocabulary, new RecognitionOptions(), cpu.LexiconSearch);
await using var cudaRecognizer = new SpeechRecognizer(cuda.Encoder, cuda.Vocabulary, new RecognitionOptions(), cuda.LexiconSearch);
var sameTranscripts = 0;
foreach (var samples in clips)
{
    var (cpuText, cudaText) = ((await cpuRecognizer.TranscribeAsync(samples, cpu.BaseAdapter)).Text, (await cudaRecognizer.TranscribeAsync(samples, cuda.BaseAdapter)).Text);
    sameTranscripts += cpuText == cudaText ? 1 : 0;
    Console.WriteLine($"- CPU: \"{cpuText}\"");
    Console.WriteLine($"  {ProviderName(cuda)}: \"{cudaText}\"");
}

var cpuMs = MedianMilliseconds(cpuEncoder, requests, iterations);
var cudaMs = MedianMilliseconds(cudaEncoder, requests, iterations);
Console.WriteLine();
Console.WriteLine("| second provider | encoder log-prob max abs difference | same transcripts | CPU median ms (all clips) | second median ms | speed ratio (CPU / second) |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"| {ProviderName(cuda)} | {maxDifference:E2} | {sameTranscripts} of {clips.Length} | {cpuMs:F1} | {cudaMs:F1} | {cpuMs / cudaMs:F2}x |"));
return sameTranscripts == clips.Length ? 0 : 1;

static string ProviderName(SpeechModel model) => model.Encoder.ExecutionProvider == OnnxExecutionProvider.Cuda ? "CUDA" : "CPU (CUDA fell back)";

static double MaxAbsDifference(float[] expected, float[] actual) =>
    expected.Length != actual.Length ? double.PositiveInfinity : expected.Zip(actual, (e, a) => (double)Math.Abs(e - a)).DefaultIfEmpty().Max();

static double MedianMilliseconds(OfflineEncoder encoder, EncoderRequest[] requests, int iterations)
{
    encoder.Encode(requests);
    var times = new List<double>();
    for (var i = 0; i < iterations; i++)
    {
        var watch = Stopwatch.StartNew();
        encoder.Encode(requests);
        times.Add(watch.Elapsed.TotalMilliseconds);
    }

    return times.Order().ElementAt(times.Count / 2);
}
