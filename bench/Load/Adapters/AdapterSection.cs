using System.Globalization;
using System.Text;
using SpeechServe.Bench.Load.Rest;

namespace SpeechServe.Bench.Load.Adapters;

/// <summary>
/// Adapter memory and hot-swap time against a server started without adapters: resident memory of the
/// base model alone, then after uploading K copies of a shipped adapter; then activation times of two
/// versions of one adapter, alternated under a light transcription load on that adapter.
/// </summary>
internal static class AdapterSection
{
    private const double MiB = 1024 * 1024;
    private static readonly TimeSpan PauseBetweenActivations = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LoadWithoutSwaps = TimeSpan.FromSeconds(5);

    public static async Task<string> RunAsync(BenchArguments options)
    {
        var server = new Uri(options.Text("url"));
        var pid = options.Int("pid", 0);
        var modelDirectory = options.Text("model-dir");
        var modelId = Path.GetFileName(Path.TrimEndingDirectorySeparator(modelDirectory));
        var source = options.Text("adapter");
        var clip = SpeechClip.Read(options.Text("wav"));
        var counts = options.Ints("counts", "8,32,64");
        var activations = options.Int("activations", 40);
        var scratch = Directory.CreateTempSubdirectory("speechserve-bench-").FullName;
        using var admin = new AdminClient(server, options.Text("admin-key"));
        try
        {
            using (var baseClient = new AudioClient(server, modelId))
            {
                for (var i = 0; i < 5; i++)
                {
                    await baseClient.PostAsync(clip).ConfigureAwait(false);
                }
            }

            var text = new StringBuilder();
            text.Append(await MeasureMemoryAsync(admin, server, pid, modelDirectory, source, clip, counts, scratch).ConfigureAwait(false));
            text.Append(await MeasureSwapsAsync(admin, server, modelDirectory, source, clip, activations, scratch).ConfigureAwait(false));
            return text.ToString();
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static async Task<string> MeasureMemoryAsync(
        AdminClient admin, Uri server, int pid, string modelDirectory, string source, SpeechClip clip, IReadOnlyList<int> counts, string scratch)
    {
        var baseBytes = await ResidentMemory.SettledBytesAsync(pid).ConfigureAwait(false);
        var table = new MarkdownTable("adapters loaded", "server RSS MiB", "RSS - base only MiB", "RSS per adapter KiB", "adapter weights per adapter KiB (server)", "upload p50 ms");
        table.Row(0, MarkdownTable.Format(baseBytes / MiB, 1), "0.0", "-", "-", "-");
        var uploads = new List<double>();
        var packageBytes = 0;
        for (var loaded = 1; loaded <= counts.Max(); loaded++)
        {
            var name = $"{source}-copy-{loaded:D3}";
            var package = AdapterCopies.Package(modelDirectory, source, name, scratch);
            packageBytes = package.Length;
            uploads.Add((await admin.UploadAsync(name, package).ConfigureAwait(false)).TotalMilliseconds);
            if (!counts.Contains(loaded))
            {
                continue;
            }

            // The newest copy serves a request, so the adapters are in use, not only stored.
            using (var client = new AudioClient(server, name))
            {
                await client.PostAsync(clip).ConfigureAwait(false);
            }

            var bytes = await ResidentMemory.SettledBytesAsync(pid).ConfigureAwait(false);
            var (resident, listed) = await admin.ResidentAsync().ConfigureAwait(false);
            table.Row(
                loaded, MarkdownTable.Format(bytes / MiB, 1), MarkdownTable.Format((bytes - baseBytes) / MiB, 1),
                MarkdownTable.Format((bytes - baseBytes) / 1024.0 / loaded, 0), MarkdownTable.Format(resident / 1024.0 / listed, 0),
                MarkdownTable.Format(uploads.Percentile(50), 0));
            Console.Error.WriteLine($"adapters: {loaded} loaded, RSS {bytes / MiB:F1} MiB");
        }

        var text = new StringBuilder("### Memory\n\n");
        text.Append(table).Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"The server starts with an empty adapter store and serves 5 requests on the base model; its resident set size (VmRSS, median of 5 readings after 1 s) is the base-only figure. ")
            .Append(CultureInfo.InvariantCulture, $"Then copies of the shipped `{source}` adapter (each a {packageBytes / 1024.0:F0} KiB package written by the exporter under a new name) are uploaded one by one through `PUT /admin/adapters/{{name}}` (validated, stored with fsync, activated); at each row the newest copy serves one request before memory is read. ")
            .Append("*RSS per adapter* = (RSS - base-only RSS) / adapters: what an adapter costs the process, allocator and garbage-collector slack included; *adapter weights per adapter*: the `resident_bytes` the server reports in `GET /admin/adapters` (the float32 weights it holds).\n\n");
        return text.ToString();
    }

    private static async Task<string> MeasureSwapsAsync(
        AdminClient admin, Uri server, string modelDirectory, string source, SpeechClip clip, int activations, string scratch)
    {
        var name = $"{source}-swap";
        await admin.UploadAsync(name, AdapterCopies.Package(modelDirectory, source, name, scratch)).ConfigureAwait(false);
        await admin.UploadAsync(name, AdapterCopies.Package(modelDirectory, source, name, scratch)).ConfigureAwait(false);
        using var client = new AudioClient(server, name);

        LightLoad quiet;
        using (var stop = new CancellationTokenSource(LoadWithoutSwaps))
        {
            quiet = await LightLoad.RunAsync(client, clip, stop.Token).ConfigureAwait(false);
        }

        var swaps = new List<double>();
        using var stopLoad = new CancellationTokenSource();
        var loaded = Task.Run(() => LightLoad.RunAsync(client, clip, stopLoad.Token));
        for (var i = 0; i < activations; i++)
        {
            swaps.Add((await admin.ActivateAsync(name, 1 + (i % 2)).ConfigureAwait(false)).TotalMilliseconds);
            await Task.Delay(PauseBetweenActivations).ConfigureAwait(false);
        }

        await stopLoad.CancelAsync().ConfigureAwait(false);
        var during = await loaded.ConfigureAwait(false);
        Console.Error.WriteLine($"adapters: activation p50 {swaps.Percentile(50):F1} ms");

        var table = new MarkdownTable("measure", "count", "p50 ms", "p95 ms", "max ms", "vs without swaps");
        table.Row("activation (`POST /admin/adapters/{name}/activate`)", swaps.Count, MarkdownTable.Format(swaps.Percentile(50), 1), MarkdownTable.Format(swaps.Percentile(95), 1), MarkdownTable.Format(swaps.Max(), 1), "-");
        table.Row("request latency, no swaps", quiet.LatenciesMs.Count, MarkdownTable.Format(quiet.LatenciesMs.Percentile(50), 0), MarkdownTable.Format(quiet.LatenciesMs.Percentile(95), 0), MarkdownTable.Format(quiet.LatenciesMs.Max(), 0), "1.00x");
        table.Row("request latency, during swaps", during.LatenciesMs.Count, MarkdownTable.Format(during.LatenciesMs.Percentile(50), 0), MarkdownTable.Format(during.LatenciesMs.Percentile(95), 0), MarkdownTable.Format(during.LatenciesMs.Max(), 0), MarkdownTable.Ratio(during.LatenciesMs.Percentile(95) / quiet.LatenciesMs.Percentile(95)) + " (p95)");

        var text = new StringBuilder("### Hot swap\n\n");
        text.Append(table).Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"Adapter `{name}` gets two stored versions (copies of `{source}`); then {activations} activations alternate between them, {PauseBetweenActivations.TotalMilliseconds:F0} ms apart, while one client transcribes a {clip.Seconds:F1} s clip on `{name}` back to back. ")
            .Append("An activation's time is the admin call's round trip: the version is loaded from the store (checksums verified, weights validated), the store's pointer replaced with fsync, and the snapshot swapped. ")
            .Append(CultureInfo.InvariantCulture, $"The same client ran {LoadWithoutSwaps.TotalSeconds:F0} s before the swaps for the latency without swaps. Failed requests: {quiet.Errors.Count} without swaps, {during.Errors.Count} during swaps.\n\n");
        return text.ToString();
    }
}
