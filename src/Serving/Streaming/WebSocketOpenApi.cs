using SpeechServe.Serving.OpenAi;

namespace SpeechServe.Serving.Streaming;

/// <summary>
/// The OpenAPI description of a WebSocket endpoint: a <c>GET</c> whose success is the upgrade (101), refused with 503
/// while the model's breaker is open (and with 400 when it is not an upgrade, where such a request reaches the
/// endpoint); everything after the upgrade is the protocol's (docs/streaming.md).
/// </summary>
internal static class WebSocketOpenApi
{
    /// <summary>Describes the upgrade and its refusals before the protocol starts.</summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="summary">The operation's summary.</param>
    /// <param name="description">The operation's description.</param>
    /// <param name="refusesPlainRequests">Whether a request that is not an upgrade reaches the endpoint (and gets a 400).</param>
    public static RouteHandlerBuilder DescribeWebSocket(this RouteHandlerBuilder endpoint, string summary, string description, bool refusesPlainRequests = true)
    {
        endpoint.WithSummary(summary)
            .WithDescription(description)
            .Produces(StatusCodes.Status101SwitchingProtocols)
            .Produces<OpenAiErrorResponse>(StatusCodes.Status503ServiceUnavailable);
        return refusesPlainRequests ? endpoint.Produces<string>(StatusCodes.Status400BadRequest, "text/plain") : endpoint;
    }
}
