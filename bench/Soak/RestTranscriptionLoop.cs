namespace SpeechServe.Bench.Soak;

/// <summary>
/// One REST client: transcription after transcription, cycling through the response formats, the base model and
/// every adapter, and the clips, with a pause between requests. Operations are named <c>rest FORMAT</c>.
/// </summary>
internal static class RestTranscriptionLoop
{
    public static async Task RunAsync(SoakContext context, int client)
    {
        var formats = AudioCall.ResponseFormats;
        var models = context.Models.All;
        var limit = context.MaxIterations(perSecond: 20);
        for (var i = client; context.Running && i < limit; i++)
        {
            // The format changes with every request, the model with every round of formats, the clip with every
            // round of models, so every combination comes round.
            var format = formats[i % formats.Length];
            var model = models[(i / formats.Length) % models.Count];
            var clip = context.Clips[(i / (formats.Length * models.Count)) % context.Clips.Count];
            var operation = "rest " + format;
            try
            {
                var (latency, _) = await AudioCall.SendAsync(context.Http, AudioEndpoint.Transcriptions, clip, model, format, model != context.Models.BaseModel).ConfigureAwait(false);
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
