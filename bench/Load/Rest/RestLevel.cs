using System.Diagnostics;

namespace SpeechServe.Bench.Load.Rest;

/// <summary>What one concurrency level against one target measured.</summary>
internal sealed record RestLevelResult(int Concurrency, TimeSpan Wall, double AudioSeconds, List<double> LatenciesMs, List<double> RealTimeFactors, List<string> Errors)
{
    public double RequestsPerSecond => LatenciesMs.Count / Wall.TotalSeconds;

    public double AudioSecondsPerSecond => AudioSeconds / Wall.TotalSeconds;
}

/// <summary>
/// Closed-loop load: <c>concurrency</c> workers each post the next clip as soon as their previous answer
/// arrived, until <c>requests</c> were sent or <c>duration</c> has passed.
/// </summary>
internal static class RestLevel
{
    public static async Task<RestLevelResult> RunAsync(
        AudioClient client, IReadOnlyList<SpeechClip> clips, int concurrency, int requests, TimeSpan duration)
    {
        var result = new RestLevelResult(concurrency, TimeSpan.Zero, 0, [], [], []);
        var next = -1;
        double audio = 0;
        var watch = Stopwatch.StartNew();
        async Task WorkerAsync()
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < requests && watch.Elapsed < duration)
            {
                var clip = clips[index % clips.Count];
                try
                {
                    var latency = await client.PostAsync(clip).ConfigureAwait(false);
                    lock (result)
                    {
                        result.LatenciesMs.Add(latency.TotalMilliseconds);
                        result.RealTimeFactors.Add(latency.TotalSeconds / clip.Seconds);
                        audio += clip.Seconds;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    lock (result)
                    {
                        result.Errors.Add(ex.Message);
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(WorkerAsync))).ConfigureAwait(false);
        return result with { Wall = watch.Elapsed, AudioSeconds = audio };
    }
}
