using System.Text.Json.Serialization;

namespace SpeechServe.Serving.Adaptation;

/// <summary>
/// An adaptation job as <c>GET /admin/adaptations/{id}</c> reports it and as its <c>job.json</c> keeps it. State:
/// <c>queued</c>, <c>running</c>, <c>succeeded</c> (the adapter is stored as <see cref="Version"/>, inactive),
/// <c>failed</c> (<see cref="Error"/> says why) or <c>cancelled</c>.
/// </summary>
public sealed record AdaptationJobStatus
{
    /// <summary>A job waiting for a training slot.</summary>
    public const string Queued = "queued";

    /// <summary>A job training.</summary>
    public const string Running = "running";

    /// <summary>A job whose adapter was stored.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>A job that ended with an error.</summary>
    public const string Failed = "failed";

    /// <summary>A job cancelled by <c>DELETE</c>.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>The job id.</summary>
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>The adapter's name.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>The base model adapted.</summary>
    [JsonPropertyName("base_model")]
    public required string BaseModel { get; init; }

    /// <summary>The job's state.</summary>
    [JsonPropertyName("state")]
    public required string State { get; init; }

    /// <summary>While running: <c>preparing</c>, <c>training</c> or <c>packaging</c>.</summary>
    [JsonPropertyName("stage"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Stage { get; init; }

    /// <summary>When the job was accepted.</summary>
    [JsonPropertyName("created_at")]
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When training started.</summary>
    [JsonPropertyName("started_at"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the job ended.</summary>
    [JsonPropertyName("finished_at"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Training utterances.</summary>
    [JsonPropertyName("utterances")]
    public int Utterances { get; init; }

    /// <summary>Usable audio in the dataset, in seconds.</summary>
    [JsonPropertyName("audio_seconds")]
    public double AudioSeconds { get; init; }

    /// <summary>The training time budget, in seconds.</summary>
    [JsonPropertyName("time_budget_seconds")]
    public double TimeBudgetSeconds { get; init; }

    /// <summary>Optimiser steps taken.</summary>
    [JsonPropertyName("step")]
    public int Step { get; init; }

    /// <summary>Completed epochs.</summary>
    [JsonPropertyName("epoch")]
    public int Epoch { get; init; }

    /// <summary>The last step's CTC loss.</summary>
    [JsonPropertyName("loss"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Loss { get; init; }

    /// <summary>Training time left, in seconds.</summary>
    [JsonPropertyName("time_left_seconds"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? TimeLeftSeconds { get; init; }

    /// <summary>Dev WER of the base model.</summary>
    [JsonPropertyName("base_dev_wer"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? BaseDevWer { get; init; }

    /// <summary>Dev WER after the last epoch.</summary>
    [JsonPropertyName("dev_wer"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? DevWer { get; init; }

    /// <summary>The best dev WER: the adapter that is stored.</summary>
    [JsonPropertyName("best_dev_wer"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? BestDevWer { get; init; }

    /// <summary>The stored, inactive adapter version.</summary>
    [JsonPropertyName("version"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Version { get; init; }

    /// <summary>Why the job failed.</summary>
    [JsonPropertyName("error"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }

    /// <summary>Whether the job has ended.</summary>
    [JsonIgnore]
    public bool IsFinished => State is Succeeded or Failed or Cancelled;
}

/// <summary>Body of <c>GET /admin/adaptations</c>.</summary>
public sealed record AdaptationJobListResponse([property: JsonPropertyName("jobs")] IReadOnlyList<AdaptationJobStatus> Jobs);

/// <summary>One refused row of a dataset, in a <c>dataset_refused</c> problem's <c>rows</c>.</summary>
public sealed record DatasetRowProblem(
    [property: JsonPropertyName("line")] int Line,
    [property: JsonPropertyName("file_name")] string FileName,
    [property: JsonPropertyName("message")] string Message);
