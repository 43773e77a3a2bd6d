namespace SpeechServe.Runtime.Decoding;

/// <summary>A word with its time span in seconds.</summary>
/// <param name="Text">The word.</param>
/// <param name="Start">Start of its first token's first frame.</param>
/// <param name="End">End of its last token's last frame.</param>
public sealed record TimedWord(string Text, double Start, double End);

/// <summary>A run of words between long pauses.</summary>
/// <param name="Id">0-based position in the transcript.</param>
/// <param name="Text">The words joined by single spaces.</param>
/// <param name="Start">Start of the first word, in seconds.</param>
/// <param name="End">End of the last word, in seconds.</param>
/// <param name="Words">The words.</param>
public sealed record TimedSegment(int Id, string Text, double Start, double End, IReadOnlyList<TimedWord> Words)
{
    /// <summary>Mean log-probability of the most likely token per frame of the segment, when it was measured (else 0).</summary>
    public double AverageLogProbability { get; init; }

    /// <summary>Mean posterior of the blank over the segment's frames, when it was measured (else 0).</summary>
    public double NoSpeechProbability { get; init; }
}

/// <summary>Decoded text with word and segment timestamps.</summary>
/// <param name="Text">The full text: tokens joined, word boundaries as single spaces, trimmed.</param>
/// <param name="Words">Words in order; times are monotonic and within the audio.</param>
/// <param name="Segments">Segments in order.</param>
/// <param name="Tokens">The aligned tokens the words come from.</param>
public sealed record Transcript(string Text, IReadOnlyList<TimedWord> Words, IReadOnlyList<TimedSegment> Segments, IReadOnlyList<AlignedToken> Tokens);
