using SpeechServe.Runtime.Decoding;

namespace SpeechServe.Runtime.Streaming;

/// <summary>Whether a result may still change.</summary>
public enum StreamingResultKind
{
    /// <summary>The current segment's text so far; later results replace it.</summary>
    Partial,

    /// <summary>The segment's final text: it ended at an endpoint or at the end of the stream.</summary>
    Final,
}

/// <summary>A partial or final result for one segment of a stream.</summary>
/// <param name="Kind">Partial or final.</param>
/// <param name="Text">The segment's text.</param>
/// <param name="Segment">The segment number, from 0, counting segments that got a final.</param>
/// <param name="Start">Segment start, seconds from the start of the stream.</param>
/// <param name="End">Segment end (for a partial, the audio decoded so far), seconds from the start of the stream.</param>
public sealed record StreamingResult(StreamingResultKind Kind, string Text, int Segment, double Start, double End)
{
    /// <summary>Seconds per token frame (an encoder frame: 4 feature frames of 10 ms).</summary>
    public const double FrameSeconds = 0.04;

    /// <summary>
    /// The segment's tokens with their frames (40 ms each, from the start of the stream): greedy CTC tokens, or for
    /// a final with a word language model, those of its search; <see cref="Text"/> spells them.
    /// </summary>
    public IReadOnlyList<AlignedToken> Tokens { get; init; } = [];

    /// <summary>A final's mean, over its frames, of the log-probability of the frame's most likely token (0 for a partial).</summary>
    public double AverageLogProbability { get; init; }

    /// <summary>A final's mean, over its frames, of the blank's posterior probability: how much of it is not speech (0 for a partial).</summary>
    public double NoSpeechProbability { get; init; }
}
