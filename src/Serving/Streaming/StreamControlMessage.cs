using System.Text.Json;

namespace SpeechServe.Serving.Streaming;

/// <summary>
/// The client's text frames on <c>/v1/audio/stream</c>. The only one is <c>{"type":"end"}</c>: a JSON object
/// whose <c>type</c> is the string <c>end</c> (other members are ignored); anything else is unexpected text.
/// </summary>
public static class StreamControlMessage
{
    /// <summary>Whether <paramref name="frame"/> is the end message. Never throws: malformed text is simply not the end.</summary>
    public static bool IsEnd(ReadOnlyMemory<byte> frame)
    {
        try
        {
            using var document = JsonDocument.Parse(frame);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("type", out var type)
                && type.ValueKind == JsonValueKind.String
                && type.ValueEquals("end");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string with an escaped lone surrogate ("\ud800"), which cannot be compared.
            return false;
        }
    }
}
