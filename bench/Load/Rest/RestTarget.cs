namespace SpeechServe.Bench.Load.Rest;

/// <summary>What one column of the comparison posts to: a server and a model id (base model or adapter).</summary>
internal sealed record RestTarget(string Label, string Model, Uri Server)
{
    /// <summary>Parses <c>label;model;url</c>.</summary>
    public static RestTarget Parse(string text)
    {
        var parts = text.Split(';');
        if (parts.Length != 3)
        {
            throw new ArgumentException($"--target wants 'label;model;url', got '{text}'");
        }

        return new RestTarget(parts[0], parts[1], new Uri(parts[2]));
    }
}
