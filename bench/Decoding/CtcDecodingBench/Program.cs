using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using SpeechServe.Runtime.Audio;
using SpeechServe.Runtime.Decoding;
using SpeechServe.Runtime.Encoder;
using SpeechServe.Runtime.Features;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Onnx;

// What CTC decoding costs beside the encoder, on the model's own log-probabilities of real speech: the encoder
// (batch 1, one intra-op thread), the log-mel features, greedy decoding and the lexicon search with the model's
// language model and settings (docs/decoding.md), each timed over all clips per run, runs repeated; prints a
// markdown table.
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

var stages = new (string Name, Action Run)[]
{
    ("encoder (batch 1, one thread)", () => clips.ForEach(c => encoder.Encode([c.Request]))),
    ("log-mel features", () => clips.ForEach(c => LogMelFrontend.Compute(c.Samples))),
    ("greedy decoding", () => logProbs.ForEach(l => GreedyCtcDecoder.Decode(l, vocabularySize))),
    ($"lexicon search (beam {lexiconSearch.BeamWidth}{(lexiconSearch.LanguageModel.UnknownWords is null ? "" : ", unknown-word path")})", () => logProbs.ForEach(l => lexiconSearch.Decode(l, vocabularySize))),
};
var medians = stages.Select(stage =>
{
    stage.Run();
    var times = Enumerable.Range(0, iterations).Select(_ =>
    {
        var watch = Stopwatch.StartNew();
        stage.Run();
        return watch.Elapsed.TotalMilliseconds;
    }).Order().ToList();
    return times[times.Count / 2];
}).ToList();

Console.WriteLine("| stage | ms per clip | ms per audio second | vs encoder |");
Console.WriteLine("| --- | ---: | ---: | ---: |");
for (var i = 0; i < stages.Length; i++)
{
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"| {stages[i].Name} | {medians[i] / clips.Count:F2} | {medians[i] / audioSeconds:F2} | {medians[i] / medians[0]:F2}x |"));
}

Console.WriteLine();
Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"`CtcDecodingBench {Path.GetFileName(Path.TrimEndingDirectorySeparator(args[0]))} $WORK/clips {iterations}`: {clips.Count} clips ({audioSeconds:F1} s of audio), base model; each stage once to warm up, then {iterations} runs over all clips; medians of the runs. The searches decode the encoder's log-probabilities of the same clips."));
return 0;
