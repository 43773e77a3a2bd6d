namespace SpeechServe.Bench.Load.Accuracy;

/// <summary>A server whose answers form one column of the accuracy table.</summary>
internal sealed record ServerTarget(string Label, Uri Server)
{
    /// <summary>Parses <c>label;url</c>.</summary>
    public static ServerTarget Parse(string text)
    {
        var parts = text.Split(';');
        return parts.Length == 2 ? new ServerTarget(parts[0], new Uri(parts[1])) : throw new ArgumentException($"--target wants 'label;url', got '{text}'");
    }
}
