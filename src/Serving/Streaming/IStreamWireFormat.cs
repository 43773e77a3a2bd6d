namespace SpeechServe.Serving.Streaming;

/// <summary>
/// What a streaming protocol puts on the wire around the shared session: which client text frame ends the
/// audio, and how each server message is written. <c>/v1/audio/stream</c> and sherpa-onnx's protocol on <c>/</c>
/// differ only in these. One instance per connection: a format may remember what it sent.
/// </summary>
internal interface IStreamWireFormat
{
    /// <summary>Said to a client that sent a text frame other than the end.</summary>
    string UnexpectedTextMessage { get; }

    /// <summary>Whether the client's text frame ends the audio.</summary>
    bool IsEnd(ReadOnlyMemory<byte> frame);

    /// <summary>The text frames for <paramref name="message"/>, in order.</summary>
    IEnumerable<byte[]> Encode(StreamMessage message);
}

/// <summary>The messages of <c>/v1/audio/stream</c> (docs/streaming.md).</summary>
internal sealed class NativeStreamFormat : IStreamWireFormat
{
    /// <summary>The one instance: the format has no state.</summary>
    public static NativeStreamFormat Instance { get; } = new();

    /// <inheritdoc />
    public string UnexpectedTextMessage => "Send audio as binary frames; the only text message is {\"type\":\"end\"}.";

    /// <inheritdoc />
    public bool IsEnd(ReadOnlyMemory<byte> frame) => StreamControlMessage.IsEnd(frame);

    /// <inheritdoc />
    public IEnumerable<byte[]> Encode(StreamMessage message) => [message.ToUtf8()];
}
