using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntimeGenAI;
using SpeechServe.Adapters.Packages;
using SpeechServe.Bench.Translation;
using SpeechServe.Runtime.Audio;
using SpeechServe.Runtime.Encoder;
using SpeechServe.Runtime.Features;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Onnx;
using SpeechServe.Runtime.Translation;

// Translation decoding by the project's own lockstep loop vs ONNX Runtime GenAI's generator, same machine, same
// encoder outputs, runs interleaved (docs/decoding.md, "ONNX Runtime GenAI"). For each translation adapter it encodes
// the test set once, then decodes it with both, greedy and beam search, at each batch size; writes every hypothesis
// and the timings under OUT for score.py, which adds BLEU and chrF.
// Usage: GenAiBench <model dir> <data dir> <out dir> [languages=de,es] [batches=1,8] [iterations=5] [threads=1] [early-stopping=true]
// (early-stopping: GenAI's search.early_stopping for its beam search).
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: GenAiBench <model dir> <data dir> <out dir> [languages=de,es] [batches=1,8] [iterations=5] [threads=1] [early-stopping=true]");
    return 2;
}

var (modelDir, dataDir, outDir) = (args[0], args[1], args[2]);
string[] languages = args.Length > 3 ? args[3].Split(',') : ["de", "es"];
int[] batches = args.Length > 4 ? [.. args[4].Split(',').Select(b => int.Parse(b, CultureInfo.InvariantCulture))] : [1, 8];
var iterations = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 5;
var threads = args.Length > 6 ? int.Parse(args[6], CultureInfo.InvariantCulture) : 1;
var earlyStopping = args.Length <= 7 || bool.Parse(args[7]);
(string Name, int Beams)[] searches = [("greedy", 1), ("beam4", 4)];
Directory.CreateDirectory(outDir);

using var genAi = new OgaHandle();
var sessions = new OnnxSessionFactory(NullLogger.Instance, threads);
using var model = SpeechModel.Load(modelDir, sessions, useLanguageModel: false);
var encoder = new OfflineEncoder(model.Encoder);

var timings = new List<Dictionary<string, object>>();
string? genAiModelType = null;
foreach (var language in languages)
{
    var domain = $"translate-{language}";
    var adapter = AdapterPackageReader.ReadDirectory(Path.Combine(modelDir, "adapters", domain, "1"), model.Manifest).Weights;
    var head = adapter.Translation ?? throw new InvalidDataException($"{domain} has no translation decoder.");
    var manifest = Path.Combine(dataDir, domain, "test.jsonl");
    var entries = File.ReadLines(manifest).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
    var encoderOutputs = entries.Select(e =>
    {
        var samples = WavParser.Parse(File.ReadAllBytes(Path.Combine(dataDir, domain, e.GetProperty("audio").GetString()!))).Samples;
        return encoder.EncodeOutputs([new EncoderRequest(LogMelFrontend.Compute(samples), LogMelSpec.FrameCount(samples.Length), adapter)])[0];
    }).ToArray();
    File.WriteAllLines(Path.Combine(outDir, $"{domain}.ref.txt"), entries.Select(e => e.GetProperty("text").GetString()!));

    using var own = new TranslationDecoder(sessions, head);
    foreach (var (search, beams) in searches)
    {
        using var generator = new GenAiTranslationDecoder(sessions, head, Path.Combine(outDir, $"{domain}.{search}.genai"), beams, earlyStopping, threads);
        genAiModelType = generator.ModelType;
        var options = new TranslationDecodingOptions { BeamWidth = beams, LengthPenalty = 1.0 };
        foreach (var batch in batches)
        {
            var chunks = encoderOutputs.Chunk(batch).ToArray();
            IReadOnlyList<TranslationResult> Own() => [.. chunks.SelectMany(c => own.Decode(c, [.. Enumerable.Repeat(options, c.Length)]))];
            IReadOnlyList<TranslationResult> Generated() => [.. chunks.SelectMany(c => generator.Decode(c))];

            var (ownResults, genAiResults) = (Own(), Generated()); // also the warm-up
            var (ownTimes, ownCpu, genAiTimes, genAiCpu) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
            for (var i = 0; i < iterations; i++)
            {
                var (wall, cpu) = Time(Own);
                ownTimes.Add(wall);
                ownCpu.Add(cpu);
                (wall, cpu) = Time(Generated);
                genAiTimes.Add(wall);
                genAiCpu.Add(cpu);
            }

            foreach (var (path, results) in new[] { ("own", ownResults), ("genai", genAiResults) })
            {
                File.WriteAllLines(Path.Combine(outDir, $"{domain}.{search}.b{batch}.{path}.txt"), results.Select(r => r.Text));
            }

            var same = ownResults.Zip(genAiResults).Count(p => p.First.TokenIds.SequenceEqual(p.Second.TokenIds));
            timings.Add(new()
            {
                ["domain"] = domain,
                ["search"] = search,
                ["batch"] = batch,
                ["utterances"] = entries.Length,
                ["own_tokens"] = ownResults.Sum(r => r.TokenIds.Count),
                ["genai_tokens"] = genAiResults.Sum(r => r.TokenIds.Count),
                ["own_ms"] = Median(ownTimes),
                ["genai_ms"] = Median(genAiTimes),
                ["own_cpu_ms"] = Median(ownCpu),
                ["genai_cpu_ms"] = Median(genAiCpu),
                ["same_ids"] = same,
            });
            Console.Error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{domain} {search} batch {batch}: own {Median(ownTimes):F1} ms, genai {Median(genAiTimes):F1} ms, same ids {same}/{entries.Length}"));
        }
    }
}

var mapped = OnnxRuntimeLibrary.Mapped();
File.WriteAllText(Path.Combine(outDir, "run.json"), JsonSerializer.Serialize(new Dictionary<string, object>
{
    ["onnxruntime"] = OnnxRuntimeEnvironment.Version,
    ["genai_model_type"] = genAiModelType ?? "",
    ["mapped_libraries"] = mapped,
    ["threads"] = threads,
    ["early_stopping"] = earlyStopping,
    ["iterations"] = iterations,
    ["timings"] = timings,
}));
Console.Error.WriteLine($"ONNX Runtime {OnnxRuntimeEnvironment.Version}; mapped: {string.Join(", ", mapped)}");
return 0;

// Wall time, and the CPU time of the whole process (all threads), which the other work on a shared machine disturbs less.
static (double WallMs, double CpuMs) Time(Func<IReadOnlyList<TranslationResult>> run)
{
    using var process = Process.GetCurrentProcess();
    var cpu = process.TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    run();
    var wall = watch.Elapsed.TotalMilliseconds;
    process.Refresh();
    return (wall, (process.TotalProcessorTime - cpu).TotalMilliseconds);
}

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
