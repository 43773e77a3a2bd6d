using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SpeechServe.Bench.Soak;

// Drives a running server for a fixed time with a bounded mix of REST transcriptions, real-time streams and
// adapter hot swaps, samples its resident memory, and reports; bench/soak.sh starts the server and runs this.
// Exit status: 0 when every target is met, 1 when one is missed, 2 for bad arguments.
SoakOptions options;
try
{
    options = SoakOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException)
{
    Console.Error.WriteLine($"{ex.Message}\n{SoakOptions.Usage}");
    return 2;
}

var clips = SpeechClip.LoadAll(options.WavDirectory);
var translationClips = options.TranslationWavDirectory is { } translationWavs ? SpeechClip.LoadAll(translationWavs) : [];
using var http = new HttpClient { BaseAddress = options.Url, Timeout = TimeSpan.FromMinutes(1) };
var models = await ReadModelsAsync(http);
var swapped = ReadAdapterName(options.AdapterDirectory);
var secondVersion = AdapterVersionPackage.Derive(options.AdapterDirectory);

var clock = Stopwatch.StartNew();
var context = new SoakContext(options, http, clock, clips, translationClips, models, new OperationLog(clock));
var translations = translationClips.Count > 0 && models.TranslationAdapters.Count > 0 ? options.TranslationClients : 0;
foreach (var adapter in translations > 0 ? models.TranslationAdapters : [])
{
    context.TranslationClipsFor(adapter);
}
var memory = new ResidentMemorySampler(options.ServerPid, clock);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"soak: {options.Duration.TotalSeconds:F0} s against {options.Url} (server pid {options.ServerPid}), warm-up {options.Warmup.TotalSeconds:F0} s; " +
    $"{options.RestClients} REST clients (pause {options.RestPause.TotalMilliseconds:F0} ms), {translations} translation clients, {options.Streams} real-time streams, " +
    $"'{swapped}' swapped every {options.SwapInterval.TotalSeconds:F0} s; models {string.Join(", ", models.All)}; translation models {string.Join(", ", models.TranslationAdapters)}; clips {string.Join(", ", clips.Select(c => $"{c.Name} ({c.SampleRate} Hz)"))}"));

using var stopSampling = new CancellationTokenSource();
var sampling = memory.RunAsync(options.SampleInterval, stopSampling.Token);
var loops = Enumerable.Range(0, options.RestClients).Select(i => Task.Run(() => RestLoop.TranscribeAsync(context, i)))
    .Concat(Enumerable.Range(0, translations).Select(i => Task.Run(() => RestLoop.TranslateAsync(context, i))))
    .Concat(Enumerable.Range(0, options.Streams).Select(i => Task.Run(() => StreamingLoop.RunAsync(context, i))))
    .Append(Task.Run(() => AdapterSwapLoop.RunAsync(context, swapped, secondVersion)))
    .ToList();
var progress = Task.Run(() => PrintProgressAsync(context, memory));

var problems = new List<string>();
var allLoops = Task.WhenAll(loops);
var grace = TimeSpan.FromMinutes(2);
if (await Task.WhenAny(allLoops, Task.Delay(options.Duration + grace)) != allLoops)
{
    problems.Add($"the loops had not finished {grace.TotalSeconds:F0} s after the run's end");
}

await stopSampling.CancelAsync();
if (!await sampling)
{
    problems.Add("the server process exited during the run");
}

await progress;
problems.AddRange(await HealthProblemAsync(http));

IEnumerable<string> expected =
[
    .. AudioCall.ResponseFormats.Select(f => "rest " + f),
    .. translations > 0 ? AudioCall.ResponseFormats.Select(f => "translate " + f) : [],
    "stream", "admin upload", "admin activate", "swap check",
];
return SoakReport.Write(context, memory, expected, problems).Count == 0 ? 0 : 1;

static async Task<ServedModels> ReadModelsAsync(HttpClient http)
{
    using var list = JsonDocument.Parse(await http.GetStringAsync(new Uri("/v1/models", UriKind.Relative)));
    var entries = list.RootElement.GetProperty("data").EnumerateArray()
        .Select(m => (
            Id: m.GetProperty("id").GetString()!,
            IsAdapter: m.TryGetProperty("parent", out _),
            Translates: m.TryGetProperty("task", out var task) && task.GetString() == "translate"))
        .ToList();
    return new ServedModels(
        entries.First(e => !e.IsAdapter).Id,
        [.. entries.Where(e => e.IsAdapter && !e.Translates).Select(e => e.Id)],
        [.. entries.Where(e => e.Translates).Select(e => e.Id)]);
}

static string ReadAdapterName(string versionDirectory)
{
    using var config = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(versionDirectory, "adapter_config.json")));
    return config.RootElement.GetProperty("name").GetString()!;
}

static async Task<IEnumerable<string>> HealthProblemAsync(HttpClient http)
{
    try
    {
        using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
        return response.IsSuccessStatusCode ? [] : [$"/healthz answered {(int)response.StatusCode} after the run"];
    }
    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
    {
        return [$"/healthz failed after the run: {ex.Message}"];
    }
}

// A line a minute, so that a long run in the background shows where it is.
static async Task PrintProgressAsync(SoakContext context, ResidentMemorySampler memory)
{
    var step = TimeSpan.FromSeconds(Math.Min(60, context.Options.Duration.TotalSeconds / 4));
    for (var next = step; next < context.Options.Duration; next += step)
    {
        var wait = next - context.Clock.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        var operations = context.Log.Operations.Sum(o => context.Log.SortedLatencies(o).Count + context.Log.FailuresOf(o));
        var rss = memory.Samples.Count > 0 ? SoakReport.Mib(memory.Samples[^1].ResidentKiB) : double.NaN;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {context.Clock.Elapsed.TotalSeconds,5:F0} s: {operations} operations, {context.Log.FailureCount} failed, RSS {rss:F1} MiB"));
    }
}
