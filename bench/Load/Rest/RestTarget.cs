namespace SpeechServe.Bench.Load.Rest;

/// <summary>
/// What one column of the comparison posts to: a server, a model id (base model or adapter) and the endpoint
/// (<c>transcriptions</c> or <c>translations</c>).
/// </summary>
internal sealed record RestTarget(string Label, string Model, Uri Server, string Endpoint)
{
    /// <summary>Parses <c>label;model;url</c> (a transcription target) or <c>label;model;url;endpoint</c>.</summary>
    public static RestTarget Parse(string text)
    {
        var parts = text.Split(';');
        if (parts.Length is not (3 or 4) || (parts.Length == 4 && parts[3] is not ("transcriptions" or "translations")))
        {
            throw new ArgumentException($"--target wants 'label;model;url[;transcriptions|translations]', got '{text}'");
        }

        return new RestTarget(parts[0], parts[1], new Uri(parts[2]), parts.Length == 4 ? parts[3] : "transcriptions");
    }
}
