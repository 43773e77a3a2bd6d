namespace SpeechServe.Runtime.Recognition;

/// <summary>The recognised text of one audio input with its timing.</summary>
/// <param name="Text">The whole text.</param>
/// <param name="Duration">The audio's duration in seconds.</param>
/// <param name="Segments">Segments in time order; their words carry word timestamps.</param>
public sealed record Transcript(string Text, double Duration, IReadOnlyList<TranscriptSegment> Segments);

/// <summary>A stretch of speech between pauses.</summary>
/// <param name="Id">0-based position in the transcript.</param>
/// <param name="Start">Start in seconds.</param>
/// <param name="End">End in seconds.</param>
/// <param name="Text">The segment's text.</param>
/// <param name="Words">The segment's words with their times.</param>
/// <param name="AverageLogProbability">Mean log-probability of the segment's tokens under the model.</param>
public sealed record TranscriptSegment(int Id, double Start, double End, string Text, IReadOnlyList<TranscriptWord> Words, double AverageLogProbability);

/// <summary>A word with its start and end in seconds.</summary>
public sealed record TranscriptWord(string Word, double Start, double End);
