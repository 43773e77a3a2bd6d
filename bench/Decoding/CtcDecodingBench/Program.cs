using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using SpeechServe.Runtime.Audio;
using SpeechServe.Runtime.Decoding;
using SpeechServe.Runtime.Encoder;
using SpeechServe.Runtime.Features;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Onnx;
using SpeechServe.Runtime.Recognition;

// Where a recognition's time and allocations go in process, on real speech: the whole recognizer (what a REST request
// runs after decoding its audio), and apart the encoder (batch 1, one intra-op thread), the log-mel features, greedy
// decoding and the lexicon search with the model's language model and settings (docs/decoding.md) on the model's own
// log-probabilities; each timed over all clips per run, runs repeated; prints a markdown table.
// Usage: CtcDecodingBench <model-dir> <wav-dir> [iterations=10]
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: CtcDecodingBench <model-dir> <wav-dir> [iterations]");
    return 2;
}

var iterations = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10;
using var model = SpeechModel.Load(args[0], new OnnxSessionFactory(NullLogger.Instance, intraOpThreads: 1));
if (model.LexiconSearch is not { } lexiconSearch)
{
    Console.Error.WriteLine($"{args[0]} has no language model: nothing to compare greedy decoding with");
    return 1;
}

var encoder = new OfflineEncoder(model.Encoder);
var vocabularySize = model.Vocabulary.Count;
var clips = Directory.GetFiles(args[1], "*.wav").Order(StringComparer.Ordinal).Select(path =>
{
    var samples = WavParser.Parse(File.ReadAllBytes(path)).Samples;
    var features = LogMelFrontend.Compute(samples);
    return (Samples: samples, Seconds: samples.Length / (double)LogMelSpec.SampleRate, Request: new EncoderRequest(features, features.Length / LogMelSpec.MelBins, model.BaseAdapter));
}).ToList();
var logProbs = clips.Select(c => encoder.Encode([c.Request])[0]).ToList();
var audioSeconds = clips.Sum(c => c.Seconds);

await using var recognizer = new SpeechRecognizer(model.Encoder, model.Vocabulary, new RecognitionOptions(), lexiconSearch);
var stages = new (string Name, Action Run)[]
{
    ("whole recognizer (features, batcher, encoder, lexicon search, transcript)", () => clips.ForEach(c => recognizer.TranscribeAsync(c.Samples, model.BaseAdapter).GetAwaiter().GetResult())),
    ("encoder (batch 1, one thread)", () => clips.ForEach(c => encoder.Encode([c.Request]))),
    ("log-mel features", () => clips.ForEach(c => LogMelFrontend.Compute(c.Samples))),
    ("greedy decoding", () => logProbs.ForEach(l => GreedyCtcDecoder.Decode(l, vocabularySize))),
    ($"lexicon search (beam {lexiconSearch.BeamWidth}{(lexiconSearch.LanguageModel.UnknownWords is null ? "" : ", unknown-word path")})", () => logProbs.ForEach(l => lexiconSearch.Decode(l, vocabularySize))),
};
var measured = stages.Select(stage =>
{
    stage.Run();
    var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    stage.Run();
    var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
    var times = Enumerable.Range(0, iterations).Select(_ =>
    {
        var watch = Stopwatch.StartNew();
        stage.Run();
        return watch.Elapsed.TotalMilliseconds;
    }).Order().ToList();
    return (Median: times[times.Count / 2], Allocated: allocated);
}).ToList();
var encoderMedian = measured[1].Median;

Console.WriteLine("| stage | ms per clip | ms per audio second | vs encoder | kB allocated per clip |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
for (var i = 0; i < stages.Length; i++)
{
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"| {stages[i].Name} | {measured[i].Median / clips.Count:F2} | {measured[i].Median / audioSeconds:F2} | {measured[i].Median / encoderMedian:F2}x | {measured[i].Allocated / 1024.0 / clips.Count:F1} |"));
}

Console.WriteLine();
Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"`CtcDecodingBench {Path.GetFileName(Path.TrimEndingDirectorySeparator(args[0]))} $WORK/clips {iterations}`: {clips.Count} clips ({audioSeconds:F1} s of audio), base model; each stage once to warm up, once for the bytes it allocates (all threads, `GC.GetTotalAllocatedBytes`), then {iterations} runs over all clips; medians of the runs. The searches decode the encoder's log-probabilities of the same clips; the whole recognizer (`SpeechRecognizer`, default options) runs one clip at a time, as sequential requests do."));
return 0;
