using System.Text.Json.Serialization;

namespace SpeechServe.Serving.Translation;

/// <summary>
/// The multipart fields of <c>/v1/audio/translations</c> as the OpenAPI document shows them. The handler
/// reads the form itself (<see cref="TranslationForm"/>) so that every bad field gets OpenAI's error shape.
/// </summary>
public sealed class TranslationRequestDocument
{
    /// <summary>The audio: WAV, FLAC, MP3, Ogg (Opus, Vorbis), WebM, MP4/M4A, AAC or AIFF.</summary>
    public required IFormFile File { get; init; }

    /// <summary>A translation adapter's name from <c>GET /v1/models</c> (<c>task</c> <c>translate</c>).</summary>
    public required string Model { get; init; }

    /// <summary>Accepted and ignored: the decoder does not condition on a prompt.</summary>
    public string? Prompt { get; init; }

    /// <summary><c>json</c> (default), <c>text</c>, <c>srt</c>, <c>vtt</c> or <c>verbose_json</c>.</summary>
    [JsonPropertyName("response_format")]
    public string? ResponseFormat { get; init; }

    /// <summary>0 to 1; above 0, each token is sampled at this temperature (with beam width 1).</summary>
    public double? Temperature { get; init; }

    /// <summary><c>true</c>: the translation as server-sent events (one <c>transcript.text.delta</c>, then <c>transcript.text.done</c>); with <c>json</c> or <c>text</c> only.</summary>
    public bool? Stream { get; init; }

    /// <summary>Product extension: beam width, 1 to 16 (server default <c>Serving:Translation:BeamWidth</c>).</summary>
    [JsonPropertyName("beam_width")]
    public int? BeamWidth { get; init; }

    /// <summary>Product extension: beam hypotheses are ranked by <c>sum log p / length^length_penalty</c>, 0 to 2.</summary>
    [JsonPropertyName("length_penalty")]
    public double? LengthPenalty { get; init; }

    /// <summary>Product extension: the most tokens generated, at least 1 (capped by the decoder's length).</summary>
    [JsonPropertyName("max_tokens")]
    public int? MaxTokens { get; init; }
}
