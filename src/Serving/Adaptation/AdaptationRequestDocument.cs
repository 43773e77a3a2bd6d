using System.Text.Json.Serialization;

namespace SpeechServe.Serving.Adaptation;

/// <summary>
/// The multipart fields of <c>POST /admin/adaptations</c> as the OpenAPI document shows them; the handler reads
/// the form itself (<see cref="AdaptationForm"/>) so that every bad field gets a problem+json answer.
/// </summary>
public sealed class AdaptationRequestDocument
{
    /// <summary>The adapter's name: <c>[a-z0-9][a-z0-9_-]{0,63}</c>.</summary>
    public required string Name { get; init; }

    /// <summary>A zip of the dataset: audio files and <c>metadata.csv</c> (<c>file_name,transcription</c>) or <c>metadata.jsonl</c>.</summary>
    public required IFormFile Data { get; init; }

    /// <summary>The base model to adapt; needed only when several are served.</summary>
    public string? Model { get; init; }

    /// <summary>Training time in minutes (default <c>Adaptation:DefaultTimeBudgetMinutes</c>).</summary>
    [JsonPropertyName("time_budget_minutes")]
    public double? TimeBudgetMinutes { get; init; }

    /// <summary>Adapter units per layer, at most the model's (default: the model's).</summary>
    public int? Bottleneck { get; init; }
}
