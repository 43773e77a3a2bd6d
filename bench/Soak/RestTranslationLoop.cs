namespace SpeechServe.Bench.Soak;

/// <summary>
/// A client sending <c>POST /v1/audio/translations</c> back to back with a pause, cycling through the response
/// formats and the translation adapters; each adapter gets the clips of its source language (a clip named
/// <c>de-*.wav</c> for <c>translate-de</c>).
/// </summary>
internal static class RestTranslationLoop
{
    public static async Task RunAsync(SoakContext context, int client)
    {
        var formats = AudioCall.ResponseFormats;
        var models = context.Models.TranslationAdapters;
        var limit = context.MaxIterations(perSecond: 20);
        for (var i = client; context.Running && i < limit; i++)
        {
            var format = formats[i % formats.Length];
            var model = models[(i / formats.Length) % models.Count];
            var clips = ClipsFor(context, model);
            var clip = clips[(i / (formats.Length * models.Count)) % clips.Count];
            var operation = "translate " + format;
            try
            {
                var (latency, _) = await AudioCall.SendAsync(context.Http, AudioEndpoint.Translations, clip, model, format, isAdapter: true).ConfigureAwait(false);
                context.Log.Succeeded(operation, latency);
            }
            catch (Exception ex) when (ex is SoakCheckException or HttpRequestException or TaskCanceledException)
            {
                context.Log.Failed(operation, ex.Message);
            }

            await Task.Delay(context.Options.RestPause).ConfigureAwait(false);
        }
    }

    /// <summary>The clips spoken in the source language of <paramref name="model"/> (<c>translate-LANG</c>).</summary>
    public static IReadOnlyList<SpeechClip> ClipsFor(SoakContext context, string model)
    {
        var language = model[(model.LastIndexOf('-') + 1)..];
        var clips = context.TranslationClips.Where(c => c.Name.StartsWith(language + "-", StringComparison.Ordinal)).ToList();
        return clips.Count > 0 ? clips : throw new ArgumentException($"no {language}-*.wav clip for the translation adapter {model}");
    }
}
