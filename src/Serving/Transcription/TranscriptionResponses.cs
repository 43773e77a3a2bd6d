using System.Text.Json.Serialization;
using SpeechServe.Runtime.Decoding;
using SpeechServe.Serving.Models;

namespace SpeechServe.Serving.Transcription;

/// <summary>The <c>json</c> response: <c>{"text": ...}</c>.</summary>
public sealed record TranscriptionJson(string Text);

/// <summary>The <c>verbose_json</c> response, OpenAI's shape plus the model and adapter that ran.</summary>
public sealed record TranscriptionVerboseJson(
    string Task,
    string Language,
    double Duration,
    string Text,
    IReadOnlyList<VerboseSegment> Segments,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<VerboseWord>? Words,
    string Model,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] AdapterVersion? Adapter)
{
    /// <summary>Builds the response for <paramref name="transcript"/>.</summary>
    public static TranscriptionVerboseJson From(Transcript transcript, double duration, TranscriptionForm form, ModelSelection selection, string task)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(selection);
        var segments = transcript.Segments
            .Select(s => new VerboseSegment(s.Id, 0, s.Start, s.End, s.Text, [], form.Temperature, 0, 0, 0))
            .ToList();
        var words = form.WordTimestamps ? transcript.Words.Select(w => new VerboseWord(w.Text, w.Start, w.End)).ToList() : null;
        var adapter = selection.Adapter is { } a ? new AdapterVersion(a.Name, a.Version) : null;
        return new TranscriptionVerboseJson(task, form.Language ?? "english", duration, transcript.Text, segments, words, selection.Served.Model.Id, adapter);
    }
}

/// <summary>A segment of <c>verbose_json</c>; fields a CTC model has no value for are 0 or empty.</summary>
public sealed record VerboseSegment(
    int Id,
    int Seek,
    double Start,
    double End,
    string Text,
    IReadOnlyList<int> Tokens,
    double Temperature,
    [property: JsonPropertyName("avg_logprob")] double AvgLogprob,
    [property: JsonPropertyName("compression_ratio")] double CompressionRatio,
    [property: JsonPropertyName("no_speech_prob")] double NoSpeechProb);

/// <summary>A word of <c>verbose_json</c> with its times in seconds.</summary>
public sealed record VerboseWord(string Word, double Start, double End);

/// <summary>The adapter and version a request ran on.</summary>
public sealed record AdapterVersion(string Name, int Version);
