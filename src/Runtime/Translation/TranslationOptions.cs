using SpeechServe.Runtime.Batching;

namespace SpeechServe.Runtime.Translation;

/// <summary>How translation requests are batched and encoded.</summary>
public sealed record TranslationOptions
{
    /// <summary>Dynamic batching of concurrent requests into one encoder pass and one lockstep decoding per head.</summary>
    public BatchingOptions Batching { get; init; } = new();

    /// <summary>Attention chunks per encoder call for whole utterances (bounds memory for long audio).</summary>
    public int WindowChunks { get; init; } = 16;
}
