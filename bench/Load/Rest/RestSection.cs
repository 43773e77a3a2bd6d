using System.Globalization;
using System.Text;

namespace SpeechServe.Bench.Load.Rest;

/// <summary>
/// The REST comparison: every target at every concurrency level, targets interleaved per level so that a
/// change in the machine's load touches them alike; ratios against concurrency 1 and against the first target.
/// </summary>
internal static class RestSection
{
    private const int WarmUpRequests = 3;

    public static async Task<string> RunAsync(BenchArguments options)
    {
        var targets = options.All("target").Select(RestTarget.Parse).ToList();
        var clips = SpeechClip.ReadDirectory(options.Text("wavs"));
        var levels = options.Ints("concurrency", "1,2,4,8");
        var requests = options.Int("requests", 32);
        var duration = TimeSpan.FromSeconds(options.Number("seconds", 20));
        var clients = targets.Select(t => new AudioClient(t.Server, t.Model, t.Endpoint)).ToList();
        try
        {
            foreach (var client in clients)
            {
                for (var i = 0; i < WarmUpRequests; i++)
                {
                    await client.PostAsync(clips[i % clips.Count]).ConfigureAwait(false);
                }
            }

            var results = new RestLevelResult[targets.Count, levels.Count];
            for (var l = 0; l < levels.Count; l++)
            {
                for (var t = 0; t < targets.Count; t++)
                {
                    // At least a few requests per worker, so that every worker's first request is not all there is.
                    results[t, l] = await RestLevel.RunAsync(clients[t], clips, levels[l], Math.Max(requests, 4 * levels[l]), duration).ConfigureAwait(false);
                    Console.Error.WriteLine($"rest: {targets[t].Label} x{levels[l]}: {results[t, l].RequestsPerSecond:F2} req/s");
                }
            }

            return Describe(targets, clips, levels, results, requests, duration);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    private static string Describe(
        List<RestTarget> targets, IReadOnlyList<SpeechClip> clips, IReadOnlyList<int> levels, RestLevelResult[,] results, int requests, TimeSpan duration)
    {
        var baseline = targets[0].Label;
        var table = new MarkdownTable(
            "target", "concurrency", "requests ok / failed", "requests/s", "audio s per s", $"vs concurrency {levels[0]}", $"vs {baseline}",
            "RTF p50", "latency p50 ms", "latency p95 ms");
        for (var l = 0; l < levels.Count; l++)
        {
            for (var t = 0; t < targets.Count; t++)
            {
                var r = results[t, l];
                table.Row(
                    targets[t].Label, r.Concurrency, $"{r.LatenciesMs.Count} / {r.Errors.Count}",
                    MarkdownTable.Format(r.RequestsPerSecond, 2), MarkdownTable.Format(r.AudioSecondsPerSecond, 1),
                    MarkdownTable.Ratio(r.AudioSecondsPerSecond / results[t, 0].AudioSecondsPerSecond),
                    t == 0 ? "1.00x" : MarkdownTable.Ratio(r.AudioSecondsPerSecond / results[0, l].AudioSecondsPerSecond),
                    MarkdownTable.Format(r.RealTimeFactors.Percentile(50), 3),
                    MarkdownTable.Format(r.LatenciesMs.Percentile(50), 0), MarkdownTable.Format(r.LatenciesMs.Percentile(95), 0));
            }
        }

        var text = new StringBuilder();
        text.Append(table).Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"Clips: {clips.Count} WAV files, {clips.Min(c => c.Seconds):F1} to {clips.Max(c => c.Seconds):F1} s ({clips.Sum(c => c.Seconds):F1} s in all), posted in turn. ")
            .Append(CultureInfo.InvariantCulture, $"Before the first level, {WarmUpRequests} warm-up requests per target. Each level: `concurrency` clients each post the next clip when their previous answer arrives, ")
            .Append(CultureInfo.InvariantCulture, $"max({requests}, 4 x concurrency) requests or {duration.TotalSeconds:F0} s, whichever comes first. ")
            .Append("*audio s per s*: seconds of audio processed per wall-clock second (throughput); *RTF*: a request's latency divided by its audio's duration (below 1 = faster than real time); ")
            .Append(CultureInfo.InvariantCulture, $"*vs concurrency {levels[0]}*: throughput relative to the same target at concurrency {levels[0]}; *vs {baseline}*: throughput relative to {baseline} at the same concurrency.\n\n");
        var errors = Enumerable.Range(0, targets.Count).SelectMany(t => Enumerable.Range(0, levels.Count).SelectMany(l => results[t, l].Errors)).Distinct().Take(3).ToList();
        if (errors.Count > 0)
        {
            text.Append("Failed requests, first distinct messages: ").AppendJoin("; ", errors.Select(e => $"`{e}`")).Append("\n\n");
        }

        return text.ToString();
    }
}
