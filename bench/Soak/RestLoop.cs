namespace SpeechServe.Bench.Soak;

/// <summary>
/// One REST client: request after request to one endpoint, cycling through the response formats, the models and
/// each model's clips, with a pause between requests. Operations are named <c>PREFIX FORMAT</c>.
/// </summary>
internal static class RestLoop
{
    /// <summary>Transcriptions with the base model and every recognition adapter (<c>rest FORMAT</c>).</summary>
    public static Task TranscribeAsync(SoakContext context, int client) =>
        RunAsync(context, client, AudioEndpoint.Transcriptions, "rest", context.Models.All, _ => context.Clips);

    /// <summary>Translations with every translation adapter, each of its own language's clips (<c>translate FORMAT</c>).</summary>
    public static Task TranslateAsync(SoakContext context, int client) =>
        RunAsync(context, client, AudioEndpoint.Translations, "translate", context.Models.TranslationAdapters, context.TranslationClipsFor);

    private static async Task RunAsync(
        SoakContext context, int client, AudioEndpoint endpoint, string prefix, IReadOnlyList<string> models, Func<string, IReadOnlyList<SpeechClip>> clipsFor)
    {
        var formats = AudioCall.ResponseFormats;
        var limit = context.MaxIterations(perSecond: 20);
        for (var i = client; context.Running && i < limit; i++)
        {
            // The format changes with every request, the model with every round of formats, the clip with every
            // round of models, so every combination comes round.
            var format = formats[i % formats.Length];
            var model = models[(i / formats.Length) % models.Count];
            var clips = clipsFor(model);
            var clip = clips[(i / (formats.Length * models.Count)) % clips.Count];
            var operation = $"{prefix} {format}";
            try
            {
                var (latency, _) = await AudioCall.SendAsync(context.Http, endpoint, clip, model, format, model != context.Models.BaseModel).ConfigureAwait(false);
                context.Log.Succeeded(operation, latency);
            }
            catch (Exception ex) when (ex is SoakCheckException or HttpRequestException or TaskCanceledException)
            {
                context.Log.Failed(operation, ex.Message);
            }

            await Task.Delay(context.Options.RestPause).ConfigureAwait(false);
        }
    }
}
