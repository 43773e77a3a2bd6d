using System.Net.WebSockets;

namespace SpeechServe.Serving.Streaming;

/// <summary>The close codes and error codes of <c>/v1/audio/stream</c> (docs/streaming.md).</summary>
public static class StreamCloseCodes
{
    /// <summary>4400: a query parameter is invalid (<c>encoding</c>, <c>sample_rate</c>, a <c>model</c> that does not transcribe).</summary>
    public const WebSocketCloseStatus InvalidParameter = (WebSocketCloseStatus)4400;

    /// <summary>4404: the <c>model</c> is neither a base model nor an active adapter.</summary>
    public const WebSocketCloseStatus ModelNotFound = (WebSocketCloseStatus)4404;

    /// <summary>4408: no message arrived within the idle timeout.</summary>
    public const WebSocketCloseStatus IdleTimeout = (WebSocketCloseStatus)4408;

    /// <summary>1013: too many streams, or the models are still loading; retry later.</summary>
    public const WebSocketCloseStatus TryAgainLater = (WebSocketCloseStatus)1013;
}

/// <summary>One failure: the <c>code</c> of the error message and the close status that follows it.</summary>
/// <param name="Code">The <c>code</c> field.</param>
/// <param name="Status">The close status.</param>
/// <param name="Message">What went wrong and what to do.</param>
public sealed record StreamFailure(string Code, WebSocketCloseStatus Status, string Message);
