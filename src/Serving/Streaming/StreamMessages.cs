using System.Text.Json;
using System.Text.Json.Serialization;
using SpeechServe.Runtime.Streaming;

namespace SpeechServe.Serving.Streaming;

/// <summary>A server message of <c>/v1/audio/stream</c>; <see cref="Type"/> says which.</summary>
/// <param name="Type"><c>partial</c>, <c>final</c>, <c>done</c> or <c>error</c>.</param>
/// <param name="Text">The segment's text (partial, final).</param>
/// <param name="Segment">The segment number from 0 (partial, final).</param>
/// <param name="Start">Segment start in seconds from the start of the stream (partial, final).</param>
/// <param name="End">Segment end in seconds from the start of the stream (partial, final).</param>
/// <param name="Code">The error code (error).</param>
/// <param name="Message">What went wrong and what to do (error).</param>
public sealed record StreamMessage(
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Text = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Segment = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Start = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? End = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Code = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message = null)
{
    /// <summary>The <c>done</c> message.</summary>
    public static StreamMessage Done { get; } = new("done");

    /// <summary>Whether the message may be replaced by a newer one before it is sent.</summary>
    [JsonIgnore]
    public bool IsPartial => Type == "partial";

    /// <summary>The recognition result of a partial or final, for protocols that send more of it.</summary>
    [JsonIgnore]
    public StreamingResult? Result { get; init; }

    /// <summary>Whether this is the last final of a stream that ended normally.</summary>
    [JsonIgnore]
    public bool EndsStream { get; init; }

    /// <summary>The message of a recognition result; times rounded to milliseconds.</summary>
    public static StreamMessage From(StreamingResult result, bool endsStream = false)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new StreamMessage(
            result.Kind == StreamingResultKind.Final ? "final" : "partial",
            result.Text,
            result.Segment,
            Math.Round(result.Start, 3),
            Math.Round(result.End, 3))
        {
            Result = result,
            EndsStream = endsStream,
        };
    }

    /// <summary>The error message of <paramref name="failure"/>.</summary>
    public static StreamMessage Error(StreamFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return new StreamMessage("error", Code: failure.Code, Message: failure.Message);
    }

    /// <summary>UTF-8 JSON of the message.</summary>
    public byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this, StreamJson.Default.StreamMessage);
}

/// <summary>Source-generated JSON for the stream messages, snake_case like the rest of the API.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(StreamMessage))]
internal sealed partial class StreamJson : JsonSerializerContext;
