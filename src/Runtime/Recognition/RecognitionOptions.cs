using SpeechServe.Runtime.Batching;
using SpeechServe.Runtime.Decoding;

namespace SpeechServe.Runtime.Recognition;

/// <summary>How utterances are batched, encoded and decoded.</summary>
public sealed record RecognitionOptions
{
    /// <summary>Dynamic batching of concurrent requests into one encoder run.</summary>
    public BatchingOptions Batching { get; init; } = new();

    /// <summary>Attention chunks per encoder call for whole utterances (bounds memory for long audio).</summary>
    public int WindowChunks { get; init; } = 16;

    /// <summary>CTC beam width; 1 decodes greedily.</summary>
    public int BeamWidth { get; init; } = 1;

    /// <summary>How frames become word and segment times.</summary>
    public TimestampOptions Timestamps { get; init; } = new();
}
