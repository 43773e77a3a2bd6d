using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using SpeechServe.Serving.Streaming;
using SpeechServe.Tests.Support;

namespace SpeechServe.Serving.Tests.Streaming;

/// <summary>
/// Properties of the stream's text frames (<see cref="StreamControlMessage"/>): random text and mutations of
/// <c>{"type":"end"}</c> never throw, allocate in proportion to the frame, and are the end message exactly when
/// an independent reading (System.Text.Json.Nodes) sees an object whose <c>type</c> is the string <c>end</c>.
/// </summary>
public sealed class StreamControlMessagePropertyTests
{
    private static readonly string[] Pieces =
    [
        "{", "}", "[", "]", "\"type\"", "\"end\"", ":", ",", " ", "\"\\u0065nd\"", "\"END\"", "\"Type\"", "1", "null", "true",
        "\"\\ud800\"", "\"\\uDC00\"", "\"partial\"", "\"x\"", "\"", "\\", "{\"type\":", "\"end", "\u00e9", "\t\n",
    ];

    private static readonly Gen<byte[]> JsonLike =
        Gen.ArrayOf(Gen.Elements(Pieces)).Select(parts => Encoding.UTF8.GetBytes(string.Concat(parts)));

    private static readonly Gen<byte[]> Objects =
        from members in Gen.ArrayOf(Gen.Zip(
            Gen.Elements("\"type\"", "\"Type\"", "\"t\\u0079pe\"", "\"x\"", "\"\\ud800\""),
            Gen.Elements("\"end\"", "\"END\"", "\"\\u0065nd\"", "\"end\\ud800\"", "1", "null", "true", "{}", "[\"end\"]", "{\"type\":\"end\"}", "\"\"")))
        from spaces in Gen.Elements("", " ", "\r\n\t")
        select Encoding.UTF8.GetBytes("{" + spaces + string.Join("," + spaces, members.Select(m => m.Item1 + spaces + ":" + m.Item2)) + spaces + "}");

    private static readonly Gen<byte[]> Frames = Gen.OneOf(
        Objects,
        JsonLike,
        ByteMutations.Mutated(Gen.Elements("""{"type":"end"}"""u8.ToArray(), """ { "type" : "end", "reason": 1 } """u8.ToArray(), """{"type":"end","type":"partial"}"""u8.ToArray())),
        ByteMutations.RandomBytes(64));

    [Fact]
    public void IsEnd_AnyFrame_NeverThrowsAndAgreesWithAnIndependentReading()
    {
        ParserProperty.Check(Frames, frame =>
        {
            var isEnd = ParserProperty.Guarded<bool, NoException>(frame, (8L * frame.Length) + (16 * 1024), f => StreamControlMessage.IsEnd(f));

            if (Oracle(frame) is { } expected)
            {
                Assert.True(expected == isEnd, $"IsEnd says {isEnd} for {Encoding.UTF8.GetString(frame)}");
            }
        }, cases: 500);
    }

    [Theory]
    [InlineData("""{"type":"end"}""", true)]
    [InlineData(""" {"type" : "end" , "at": 3.5} """, true)]
    [InlineData("""{"type":"\u0065nd"}""", true)]
    [InlineData("""{"type":"END"}""", false)]
    [InlineData("""{"Type":"end"}""", false)]
    [InlineData("""["type","end"]""", false)]
    [InlineData("\"end\"", false)]
    [InlineData("""{"type":1}""", false)] // Found by the property: ValueEquals on a number threw InvalidOperationException.
    [InlineData("""{"t\u0079pe":"end"}""", true)]
    [InlineData("""{"type":null}""", false)]
    [InlineData("""{"type":{"end":1}}""", false)]
    [InlineData("""{"type":"end\ud800"}""", false)] // Found by the property: an escaped lone surrogate threw InvalidOperationException.
    [InlineData("""{"type":"end""", false)]
    public void IsEnd_Example_MatchesTheProtocol(string frame, bool expected)
    {
        Assert.Equal(expected, StreamControlMessage.IsEnd(Encoding.UTF8.GetBytes(frame)));
    }

    // Null when the oracle cannot read the frame as one JSON value (duplicate keys, invalid text).
    private static bool? Oracle(byte[] frame)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(frame);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            return ex is JsonException ? false : null;
        }

        try
        {
            return node is JsonObject obj && obj["type"] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() == "end";
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or JsonException)
        {
            return null;
        }
    }

    // IsEnd documents no exception at all.
    private sealed class NoException : Exception;
}
