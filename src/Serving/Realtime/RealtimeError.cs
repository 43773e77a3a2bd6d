using System.Net.WebSockets;

namespace SpeechServe.Serving.Realtime;

/// <summary>
/// An <c>error</c> event of the Realtime API: OpenAI's error object, and the close status when the error ends the
/// session (null: the session goes on).
/// </summary>
/// <param name="Type"><c>invalid_request_error</c> or <c>server_error</c>.</param>
/// <param name="Code">A stable code.</param>
/// <param name="Message">What went wrong and what to change.</param>
/// <param name="Param">The event field at fault, if one is.</param>
/// <param name="Close">How the session closes after it, or null when it goes on.</param>
internal sealed record RealtimeError(string Type, string Code, string Message, string? Param = null, WebSocketCloseStatus? Close = null)
{
    /// <summary>A client event field has a value the server cannot use; the session goes on.</summary>
    public static RealtimeError Invalid(string param, string message) => new("invalid_request_error", "invalid_value", message, param);
}
