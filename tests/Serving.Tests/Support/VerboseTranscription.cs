using System.Text.Json;
using System.Text.Json.Serialization;

namespace SpeechServe.Serving.Tests.Support;

/// <summary>The <c>verbose_json</c> response as a client reads it.</summary>
internal sealed record VerboseTranscription(
    [property: JsonPropertyName("task")] string Task,
    [property: JsonPropertyName("language")] string Language,
    [property: JsonPropertyName("duration")] double Duration,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("segments")] IReadOnlyList<VerboseSegment> Segments,
    [property: JsonPropertyName("words")] IReadOnlyList<VerboseWord>? Words,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("adapter")] VerboseAdapter? Adapter)
{
    public static VerboseTranscription Parse(string json) =>
        JsonSerializer.Deserialize<VerboseTranscription>(json) ?? throw new JsonException("null verbose_json");
}

internal sealed record VerboseSegment(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("seek")] int Seek,
    [property: JsonPropertyName("start")] double Start,
    [property: JsonPropertyName("end")] double End,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("tokens")] IReadOnlyList<int> Tokens,
    [property: JsonPropertyName("temperature")] double Temperature,
    [property: JsonPropertyName("avg_logprob")] double AvgLogprob,
    [property: JsonPropertyName("compression_ratio")] double CompressionRatio,
    [property: JsonPropertyName("no_speech_prob")] double NoSpeechProb);

internal sealed record VerboseWord(
    [property: JsonPropertyName("word")] string Word,
    [property: JsonPropertyName("start")] double Start,
    [property: JsonPropertyName("end")] double End);

internal sealed record VerboseAdapter(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] int Version);
