using System.Text.Json.Serialization;
using SpeechServe.Serving.Models;

namespace SpeechServe.Serving.AudioApi;

/// <summary>The <c>json</c> response of a transcription or translation: <c>{"text": ...}</c>.</summary>
public sealed record AudioTextJson(string Text);

/// <summary>The <c>verbose_json</c> response of a transcription or translation, OpenAI's shape plus the model and adapter that ran.</summary>
public sealed record AudioVerboseJson(
    string Task,
    string Language,
    double Duration,
    string Text,
    IReadOnlyList<VerboseSegment> Segments,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<VerboseWord>? Words,
    string Model,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] AdapterVersion? Adapter)
{
    /// <summary>The response for a request that ran on <paramref name="selection"/>.</summary>
    /// <param name="task"><c>transcribe</c> or <c>translate</c>.</param>
    /// <param name="language">The language of <paramref name="text"/>, as OpenAI names it (<c>english</c>).</param>
    /// <param name="duration">Seconds of audio.</param>
    /// <param name="text">The whole text.</param>
    /// <param name="segments">Its segments.</param>
    /// <param name="words">Its words, or null when the client did not ask for them.</param>
    /// <param name="selection">The model and adapter version that ran.</param>
    public static AudioVerboseJson Create(
        string task, string language, double duration, string text, IReadOnlyList<VerboseSegment> segments, IReadOnlyList<VerboseWord>? words, ModelSelection selection)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var adapter = selection.Adapter is { } a ? new AdapterVersion(a.Name, a.Version) : null;
        return new AudioVerboseJson(task, language, duration, text, segments, words, selection.Served.Model.Id, adapter);
    }
}

/// <summary>A segment of <c>verbose_json</c>; fields the model has no value for are 0 or empty.</summary>
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
