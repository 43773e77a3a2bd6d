using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using SpeechServe.Export.Decoder;
using SpeechServe.Runtime.Onnx;
using SpeechServe.Runtime.Translation;

// Translation decoding throughput: greedy with the key/value cache vs re-running the whole prefix each step, same
// decoder, same inputs, runs interleaved; prints a markdown table (one row per batch size) and how it was measured.
// Usage: DecodingBench <decoder.safetensors> [batches=1,8] [max-tokens=48] [iterations=10] [frames=50] [threads=0 (ORT default)]
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: DecodingBench <decoder.safetensors> [batches] [max-tokens] [iterations] [frames] [threads]");
    return 2;
}

int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
int[] batches = args.Length > 1 ? [.. args[1].Split(',').Select(b => int.Parse(b, CultureInfo.InvariantCulture))] : [1, 8];
var maxTokens = Arg(2, 48);
var iterations = Arg(3, 10);
var frames = Arg(4, 50);
var threads = Arg(5, 0);

var checkpoint = DecoderCheckpoint.Read(args[0]);
var head = new TranslationHead(
    DecoderCrossGraph.Build(checkpoint).ToByteArray(), DecoderStepGraph.Build(checkpoint).ToByteArray(), checkpoint.Vocabulary,
    checkpoint.Architecture.MaxPositions, "en");
using var decoder = new TranslationDecoder(new OnnxSessionFactory(NullLogger.Instance, threads), head);

Console.WriteLine("| batch | tokens per run | cached median ms | no-cache median ms | cached tokens/s | no-cache tokens/s | cache speedup | same ids |");
Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
foreach (var batch in batches)
{
    var random = new Random(batch);
    var utterances = Enumerable.Range(0, batch)
        .Select(_ => Enumerable.Range(0, frames * decoder.ModelDimension).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray())
        .ToArray();
    var greedy = Enumerable.Repeat(new TranslationDecodingOptions { MaxTokens = maxTokens }, batch).ToArray();
    IReadOnlyList<TranslationResult> Cached() => decoder.Decode(utterances, greedy);
    IReadOnlyList<TranslationResult> WithoutCache() => decoder.DecodeGreedyWithoutCache(utterances, maxTokens);

    var sameIds = Cached().Zip(WithoutCache()).All(p => p.First.TokenIds.SequenceEqual(p.Second.TokenIds));
    var tokens = Cached().Sum(r => r.TokenIds.Count);
    var cachedTimes = new List<double>();
    var uncachedTimes = new List<double>();
    for (var i = 0; i < iterations; i++)
    {
        cachedTimes.Add(Time(Cached));
        uncachedTimes.Add(Time(WithoutCache));
    }

    var (cached, uncached) = (Median(cachedTimes), Median(uncachedTimes));
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"| {batch} | {tokens} | {cached:F1} | {uncached:F1} | {tokens / (cached / 1000):F0} | {tokens / (uncached / 1000):F0} | {uncached / cached:F2}x | {(sameIds ? "yes" : "no")} |"));
}

Console.WriteLine();
Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"`DecodingBench {Path.GetFileName(args[0])} {string.Join(',', batches)} {maxTokens} {iterations} {frames} {threads}`: a decoder of {checkpoint.Architecture.NumLayers} layers, D = {checkpoint.Architecture.DModel}, {checkpoint.Vocabulary.Count} tokens, exported in process; ONNX Runtime {OnnxRuntimeEnvironment.Version}, intra-op threads {(threads == 0 ? "ONNX Runtime's default" : threads)}; each utterance {frames} encoder frames of seeded random values; greedy decoding up to {maxTokens} tokens per utterance, batch in lockstep; one warm-up run each, then {iterations} runs interleaved cached/no-cache; *tokens/s* = generated tokens (without `</s>`) / median run time; *cache speedup* = no-cache median / cached median; *same ids*: both paths chose the same tokens."));
return 0;

static double Time(Func<IReadOnlyList<TranslationResult>> run)
{
    var watch = Stopwatch.StartNew();
    run();
    return watch.Elapsed.TotalMilliseconds;
}

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
