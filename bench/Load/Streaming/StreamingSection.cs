using System.Globalization;
using System.Text;
using SpeechServe.Bench.Load.Rest;

namespace SpeechServe.Bench.Load.Streaming;

/// <summary>
/// Streaming latency and capacity: levels of concurrent WebSocket clients at real-time pace against one or more
/// servers (targets, interleaved per level so that a change in the machine's load touches them alike), until a
/// target's p95 latency of finals passes the threshold or one of its streams fails.
/// </summary>
internal static class StreamingSection
{
    private const int FrameMilliseconds = 100;

    public static async Task<string> RunAsync(BenchArguments options)
    {
        var targets = options.All("target").Select(RestTarget.Parse).ToList();
        var clip = SpeechClip.Read(options.Text("wav"));
        var levels = options.Ints("clients", "1,2,4,8,16,32,64");
        var threshold = options.Number("threshold-ms", 500);
        var stagger = TimeSpan.FromSeconds(1);
        var streams = targets.Select(t => new UriBuilder(t.Server)
        {
            Scheme = t.Server.Scheme == "https" ? "wss" : "ws",
            Path = "/v1/audio/stream",
            Query = $"model={Uri.EscapeDataString(t.Model)}&sample_rate={clip.SampleRate}&encoding=pcm_s16le",
        }.Uri).ToList();

        var table = new MarkdownTable(
            "server", "clients", "streams ok / failed", "finals", "final p50 ms", "final p95 ms", "final max ms", "final p95 vs first level",
            "partials", "partial p50 ms", "partial p95 ms", $"p95 final < {threshold:F0} ms");
        var firstP95 = new double?[targets.Count];
        var capacity = new int[targets.Count];
        var within = Enumerable.Repeat(true, targets.Count).ToArray();
        string? firstError = null;
        foreach (var clients in levels)
        {
            for (var t = 0; t < targets.Count; t++)
            {
                if (!within[t])
                {
                    continue;
                }

                var timeout = TimeSpan.FromSeconds(clip.Seconds * 3) + stagger + TimeSpan.FromSeconds(30);
                var observations = await Task.WhenAll(Enumerable.Range(0, clients).Select(i =>
                    StreamClient.RunAsync(streams[t], clip, FrameMilliseconds, stagger * i / clients, timeout))).ConfigureAwait(false);
                var failed = observations.Where(o => o.Error is not null).ToList();
                firstError ??= failed.FirstOrDefault()?.Error;
                var finals = observations.SelectMany(o => o.FinalLatencies).ToList();
                var partials = observations.SelectMany(o => o.PartialLatencies).ToList();
                var p95 = finals.Percentile(95);
                firstP95[t] ??= p95;
                within[t] = failed.Count == 0 && p95 < threshold;
                table.Row(
                    targets[t].Label, clients, $"{clients - failed.Count} / {failed.Count}", finals.Count,
                    MarkdownTable.Format(finals.Percentile(50), 0), MarkdownTable.Format(p95, 0), MarkdownTable.Format(finals.Count > 0 ? finals.Max() : double.NaN, 0),
                    MarkdownTable.Ratio(p95 / firstP95[t]!.Value), partials.Count,
                    MarkdownTable.Format(partials.Percentile(50), 0), MarkdownTable.Format(partials.Percentile(95), 0), within[t] ? "yes" : "no");
                Console.Error.WriteLine($"streaming: {targets[t].Label}, {clients} clients: final p50 {finals.Percentile(50):F0} ms, p95 {p95:F0} ms, {failed.Count} failed");
                if (within[t])
                {
                    capacity[t] = clients;
                }
            }

            if (!within.Any(w => w))
            {
                break;
            }
        }

        var text = new StringBuilder();
        text.Append(table).Append('\n');
        var capacities = string.Join("; ", targets.Select((target, t) => $"{target.Label}: {capacity[t]}"));
        text.Append(CultureInfo.InvariantCulture, $"**Capacity (concurrent real-time streams): {capacities}** (for each server, the largest tested number of clients whose p95 final latency stays under {threshold:F0} ms with no failed stream; a server's run stops at its first level over the threshold).\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Each client streams the same {clip.Seconds:F1} s of speech (sentences separated by pauses, so endpointing closes several segments per stream) as 16-bit PCM at {clip.SampleRate} Hz in {FrameMilliseconds} ms frames, each sent when its audio would have been recorded; clients start staggered over {stagger.TotalSeconds:F0} s. ")
            .Append("Latency of a result = arrival time - send time of the frame that holds the last audio it needs: its `end` plus the 15 ms by which the last 25 ms analysis window reaches past it. For a partial, `end` is the end of the 320 ms chunk it follows; for a final at an endpoint, the endpoint (so the silence the endpoint rule waits for, `Streaming:PauseAfterSpeechSeconds`, is not counted); for the last final, the end of the audio, sent just before `{\"type\":\"end\"}`. ")
            .Append("It includes the wait for the chunk to fill within its frame, encoding, decoding, queueing behind the other streams and the loopback. *final p95 vs first level*: how much the tail grows with load. The clients run in this process, the server in its own.\n\n");
        if (firstError is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"First failure: `{firstError}`\n\n");
        }

        return text.ToString();
    }
}
