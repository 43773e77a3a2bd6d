using System.Globalization;
using System.Text;
using SpeechServe.Bench.Load.Rest;

namespace SpeechServe.Bench.Load.Profile;

/// <summary>
/// Where the time of one transcription goes: the clips posted one at a time, and the server's stage histogram
/// (<c>speechserve_transcription_stage_seconds</c>) and request duration over exactly those requests, from a scrape of
/// <c>/metrics</c> before and after, set against the latency the client saw.
/// </summary>
internal static class ProfileSection
{
    private const int WarmUpRequests = 3;
    private const string Route = "/v1/audio/transcriptions";
    private static readonly string[] Stages = ["form", "audio", "features", "queue", "encoder", "decoding", "response"];

    public static async Task<string> RunAsync(BenchArguments options)
    {
        var server = new Uri(options.Text("url"));
        var model = options.Text("model");
        var clips = SpeechClip.ReadDirectory(options.Text("wavs"));
        var requests = options.Int("requests", 40);
        using var client = new AudioClient(server, model);
        using var http = new HttpClient { BaseAddress = server };
        for (var i = 0; i < WarmUpRequests; i++)
        {
            await client.PostAsync(clips[i % clips.Count]).ConfigureAwait(false);
        }

        var before = await MetricsSnapshot.ScrapeAsync(http).ConfigureAwait(false);
        var latency = TimeSpan.Zero;
        var audioSeconds = 0.0;
        for (var i = 0; i < requests; i++)
        {
            var clip = clips[i % clips.Count];
            latency += await client.PostAsync(clip).ConfigureAwait(false);
            audioSeconds += clip.Seconds;
        }

        var after = await MetricsSnapshot.ScrapeAsync(http).ConfigureAwait(false);
        double Delta(string name, params (string, string)[] labels) => after.Value(name, labels) - before.Value(name, labels);
        (string, string)[] request = [("route", Route), ("method", "POST"), ("model", model)];
        var counts = Stages.Select(s => Delta("speechserve_transcription_stage_seconds_count", ("model", model), ("stage", s)))
            .Append(Delta("speechserve_http_request_duration_seconds_count", request)).ToList();
        if (counts.Any(c => c != requests))
        {
            throw new InvalidOperationException(
                $"The server counted {string.Join(", ", counts)} requests (stages, then request durations) for {requests} sent: is another client using it, or is it an older server without the stage metric?");
        }

        var stageMs = Stages.Select(s => Delta("speechserve_transcription_stage_seconds_sum", ("model", model), ("stage", s)) * 1000 / requests).ToList();
        var serverMs = Delta("speechserve_http_request_duration_seconds_sum", request) * 1000 / requests;
        var clientMs = latency.TotalMilliseconds / requests;
        return Describe(clips, requests, stageMs, serverMs, clientMs, audioSeconds / requests);
    }

    private static string Describe(IReadOnlyList<SpeechClip> clips, int requests, List<double> stageMs, double serverMs, double clientMs, double meanAudioSeconds)
    {
        var table = new MarkdownTable("stage", "ms per request (mean)", "share of client latency");
        void Row(string stage, double ms) => table.Row(stage, MarkdownTable.Format(ms, 1), MarkdownTable.Format(100 * ms / clientMs, 1) + " %");
        for (var i = 0; i < Stages.Length; i++)
        {
            Row(Stages[i], stageMs[i]);
        }

        Row("rest of the server", serverMs - stageMs.Sum());
        Row("outside the server", clientMs - serverMs);
        Row("**total (client latency)**", clientMs);

        var text = new StringBuilder();
        text.Append(table).Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"Clips: {clips.Count} WAV files, {clips.Min(c => c.Seconds):F1} to {clips.Max(c => c.Seconds):F1} s, posted in turn one at a time ")
            .Append(CultureInfo.InvariantCulture, $"(`response_format=json`) after {WarmUpRequests} warm-up requests; {requests} timed requests, ")
            .Append(CultureInfo.InvariantCulture, $"mean latency {clientMs:F1} ms for {meanAudioSeconds:F2} s of audio: RTF {clientMs / 1000 / meanAudioSeconds:F3}.\n\n");
        return text.ToString();
    }
}
