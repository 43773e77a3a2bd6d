using SpeechServe.Runtime.Recognition;

namespace SpeechServe.Serving.Metrics;

/// <summary>
/// Where one offline transcription spent its time before its response (docs/metrics.md,
/// <c>speechserve_transcription_stage_seconds</c>): reading the multipart form, reading and decoding the audio, and the
/// recognizer's stages.
/// </summary>
public sealed class TranscriptionStages
{
    /// <summary>Reading the multipart body and its fields.</summary>
    public TimeSpan Form { get; init; }

    /// <summary>Reading the file's bytes and decoding the audio to 16 kHz.</summary>
    public TimeSpan Audio { get; init; }

    /// <summary>The recognizer's stages, filled while it runs; empty when the request did not go through the batched recognizer.</summary>
    public RecognitionTimings Recognition { get; } = new();
}
