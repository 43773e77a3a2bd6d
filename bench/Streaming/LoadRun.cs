using System.Diagnostics;
using SpeechServe.Runtime.Encoder;
using SpeechServe.Runtime.Streaming;

namespace SpeechServe.Bench.Streaming;

/// <summary>Latencies of one load level, in milliseconds.</summary>
internal sealed record LoadResult(List<double> FirstPartial, List<double> FinalLatency, List<double> ChunkLatencies);

/// <summary>Runs N streams concurrently at real-time pace.</summary>
internal static class LoadRun
{
    private const int FrameSamples = 1600;

    public static async Task<LoadResult> RunAsync(StreamingRecognizer recognizer, AdapterWeights adapter, float[] audio, int streams)
    {
        var result = new LoadResult([], [], []);
        var tasks = Enumerable.Range(0, streams).Select(i => Task.Run(() => RunStreamAsync(recognizer, adapter, audio, i * 100 / streams, result))).ToArray();
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return result;
    }

    public static double Percentile(this List<double> values, int percentile)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
    }

    private static async Task RunStreamAsync(StreamingRecognizer recognizer, AdapterWeights adapter, float[] audio, int offsetMs, LoadResult result)
    {
        await Task.Delay(offsetMs).ConfigureAwait(false);
        var session = recognizer.Open(adapter, 16_000);
        var clock = Stopwatch.StartNew();
        double? firstPartial = null;
        var chunks = new List<double>();
        for (var offset = 0; offset < audio.Length; offset += FrameSamples)
        {
            // Latency counts from when the frame was due (the end of its audio), so queueing behind other
            // streams' work shows up.
            var due = TimeSpan.FromSeconds((offset + FrameSamples) / 16_000.0);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait).ConfigureAwait(false);
            }

            var before = session.ChunksEncoded;
            var results = session.Accept(audio.AsSpan(offset, Math.Min(FrameSamples, audio.Length - offset)));
            var latency = (clock.Elapsed - due).TotalMilliseconds;
            if (session.ChunksEncoded > before)
            {
                chunks.Add(latency);
            }

            if (firstPartial is null && results.Any(r => r.Text.Length > 0))
            {
                firstPartial = clock.Elapsed.TotalMilliseconds;
            }
        }

        var end = clock.Elapsed;
        session.Finish();
        var final = (clock.Elapsed - end).TotalMilliseconds;
        lock (result)
        {
            result.ChunkLatencies.AddRange(chunks);
            result.FinalLatency.Add(final);
            if (firstPartial is { } first)
            {
                result.FirstPartial.Add(first);
            }
        }
    }
}
