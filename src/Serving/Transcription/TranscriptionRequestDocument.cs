using System.Text.Json.Serialization;

namespace SpeechServe.Serving.Transcription;

/// <summary>
/// The multipart fields of <c>/v1/audio/transcriptions</c> as the OpenAPI document shows them. The handler
/// reads the form itself (<see cref="TranscriptionForm"/>) so that every bad field gets OpenAI's error shape.
/// </summary>
public sealed record TranscriptionRequestDocument(
    IFormFile File,
    string Model,
    string? Language,
    string? Prompt,
    [property: JsonPropertyName("response_format")] string? ResponseFormat,
    double? Temperature,
    [property: JsonPropertyName("timestamp_granularities[]")] IReadOnlyList<string>? TimestampGranularities);
