using System.Text.Json.Serialization;

namespace SpeechServe.Serving.Transcription;

/// <summary>
/// The multipart fields of <c>/v1/audio/transcriptions</c> as the OpenAPI document shows them. The handler
/// reads the form itself (<see cref="TranscriptionForm"/>) so that every bad field gets OpenAI's error shape.
/// </summary>
public sealed class TranscriptionRequestDocument
{
    /// <summary>The audio: WAV, FLAC, MP3, Ogg (Opus, Vorbis), WebM, MP4/M4A, AAC or AIFF.</summary>
    public required IFormFile File { get; init; }

    /// <summary>A base model id or an adapter name from <c>GET /v1/models</c>.</summary>
    public required string Model { get; init; }

    /// <summary>ISO-639-1 language of the audio; must be the model's (400 <c>unsupported_language</c> otherwise); echoed in <c>verbose_json</c>.</summary>
    public string? Language { get; init; }

    /// <summary>Its words that the language model finds rare are favoured as hotwords by the lexicon search.</summary>
    public string? Prompt { get; init; }

    /// <summary>Words or phrases to favour, separated by new lines or commas, each optionally followed by <c>:score</c> (sherpa-onnx's syntax).</summary>
    public string? Hotwords { get; init; }

    /// <summary><c>json</c> (default), <c>text</c>, <c>srt</c>, <c>vtt</c> or <c>verbose_json</c>.</summary>
    [JsonPropertyName("response_format")]
    public string? ResponseFormat { get; init; }

    /// <summary>0 to 1; accepted and echoed, with no effect: CTC decoding is deterministic.</summary>
    public double? Temperature { get; init; }

    /// <summary><c>true</c>: the text as server-sent events (<c>transcript.text.delta</c>, <c>transcript.text.done</c>) while it is decoded; with <c>json</c> or <c>text</c> only.</summary>
    public bool? Stream { get; init; }

    /// <summary><c>segment</c> and/or <c>word</c>; <c>word</c> needs <c>verbose_json</c>.</summary>
    [JsonPropertyName("timestamp_granularities[]")]
    public IReadOnlyList<string>? TimestampGranularities { get; init; }
}
