namespace SpeechServe.Runtime.Streaming;

/// <summary>Endpointing of a stream (docs/streaming.md).</summary>
public sealed record StreamingRecognitionOptions
{
    /// <summary>Rule 1: a pause after speech ends the segment (1.0 s of blank frames after at least one token).</summary>
    public EndpointRule PauseAfterSpeech { get; init; } = new(true, 1.0, 0);

    /// <summary>
    /// Rule 2: long silence with no speech at all ends the (empty) segment, so that the next segment's start
    /// time follows the audio; no final is sent for an empty segment.
    /// </summary>
    public EndpointRule LongSilence { get; init; } = new(false, 5.0, 0);

    /// <summary>Rule 3: a segment ends once it lasts 20 s, whatever it holds.</summary>
    public EndpointRule MaxSegmentLength { get; init; } = new(false, 0, 20.0);

    /// <summary>
    /// With a language model, the longest segment whose final is decoded with it, in seconds (its log-probs are
    /// kept until the segment ends: 29 floats per 40 ms frame for the reference vocabulary, 348 KB for 120 s);
    /// a longer segment's final is greedy.
    /// </summary>
    public double LanguageModelMaxSegmentSeconds { get; init; } = 120;

    /// <summary>Whether endpointing is on; off, a stream is one segment with one final at its end.</summary>
    public bool EndpointingEnabled { get; init; } = true;

    /// <summary>The three rules, in the order they are checked.</summary>
    public IReadOnlyList<EndpointRule> Rules => [PauseAfterSpeech, LongSilence, MaxSegmentLength];
}
