using System.Text.Json;
using System.Text.Json.Serialization;
using SpeechServe.Runtime.Decoding;
using SpeechServe.Runtime.Streaming;
using SpeechServe.Serving.Streaming;

namespace SpeechServe.Serving.SherpaOnnx;

/// <summary>
/// sherpa-onnx's online WebSocket server protocol (docs/streaming.md, "sherpa-onnx clients"): the text frame
/// <c>Done</c> ends the audio; each result is its recognizer's result JSON, the last one with <c>is_final</c> and
/// <c>is_eof</c> (an empty one when the stream's last final came before the end); then the text <c>Done!</c>. Errors keep this server's <c>{"type":"error"}</c> message, since
/// sherpa-onnx's protocol has none.
/// </summary>
internal sealed class SherpaOnnxStreamFormat(TokenVocabulary vocabulary) : IStreamWireFormat
{
    private StreamingResult? _last;
    private bool _eofSent;

    /// <inheritdoc />
    public string UnexpectedTextMessage => "Send audio as binary frames of float32 samples; the only text message is Done.";

    /// <inheritdoc />
    public bool IsEnd(ReadOnlyMemory<byte> frame) => frame.Span.SequenceEqual("Done"u8);

    /// <inheritdoc />
    public IEnumerable<byte[]> Encode(StreamMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Result is { } result)
        {
            _last = result;
            _eofSent |= message.EndsStream;
            return [Serialize(result, message.EndsStream)];
        }

        if (message.Type != "done")
        {
            return [message.ToUtf8()];
        }

        if (_eofSent)
        {
            return ["Done!"u8.ToArray()];
        }

        var end = _last?.End ?? 0;
        var segment = _last is null ? 0 : _last.Segment + (_last.Kind == StreamingResultKind.Final ? 1 : 0);
        return [Serialize(new StreamingResult(StreamingResultKind.Final, string.Empty, segment, end, end), true), "Done!"u8.ToArray()];
    }

    private byte[] Serialize(StreamingResult result, bool endsStream) =>
        JsonSerializer.SerializeToUtf8Bytes(Result(result, endsStream), SherpaOnnxJson.Default.SherpaOnnxResult);

    private SherpaOnnxResult Result(StreamingResult result, bool endsStream) => new(
        result.Text,
        result.Tokens.Select(t => vocabulary[t.Id]).ToArray(),
        result.Tokens.Select(t => Math.Round((t.StartFrame * StreamingResult.FrameSeconds) - result.Start, 3)).ToArray(),
        result.Segment,
        Math.Round(result.Start, 3),
        result.Kind == StreamingResultKind.Final,
        endsStream);
}

/// <summary>sherpa-onnx's recognizer result JSON, with the fields this server has.</summary>
/// <param name="Text">The segment's text.</param>
/// <param name="Tokens">Its tokens as the vocabulary spells them.</param>
/// <param name="Timestamps">Each token's start in seconds from <paramref name="StartTime"/>.</param>
/// <param name="Segment">The segment number from 0.</param>
/// <param name="StartTime">The segment's start in seconds from the start of the stream.</param>
/// <param name="IsFinal">Whether the segment ended (an endpoint, or the end of the audio).</param>
/// <param name="IsEof">Whether this is the stream's last result.</param>
internal sealed record SherpaOnnxResult(string Text, string[] Tokens, double[] Timestamps, int Segment, double StartTime, bool IsFinal, bool IsEof);

/// <summary>Source-generated JSON for sherpa-onnx results, in its snake_case names.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SherpaOnnxResult))]
internal sealed partial class SherpaOnnxJson : JsonSerializerContext;
