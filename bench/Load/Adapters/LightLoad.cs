using SpeechServe.Bench.Load.Rest;

namespace SpeechServe.Bench.Load.Adapters;

/// <summary>One client transcribing one clip back to back until stopped: the light load under which swaps are timed.</summary>
internal sealed class LightLoad
{
    public List<double> LatenciesMs { get; } = [];

    public List<string> Errors { get; } = [];

    public static async Task<LightLoad> RunAsync(AudioClient client, SpeechClip clip, CancellationToken stop)
    {
        var load = new LightLoad();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                load.LatenciesMs.Add((await client.PostAsync(clip, CancellationToken.None).ConfigureAwait(false)).TotalMilliseconds);
            }
            catch (HttpRequestException ex)
            {
                load.Errors.Add(ex.Message);
            }
        }

        return load;
    }
}
