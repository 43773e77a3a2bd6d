using SpeechServe.Serving.Resilience;
using SpeechServe.Serving.Security;
using SpeechServe.Serving.Streaming;

namespace SpeechServe.Serving.Realtime;

/// <summary>
/// <c>GET /v1/realtime</c>: the transcription session of OpenAI's Realtime API over WebSocket (docs/streaming.md,
/// "OpenAI Realtime transcription"), on the streaming sessions of <c>/v1/audio/stream</c>.
/// </summary>
public static class RealtimeEndpoints
{
    /// <summary>Maps the endpoint into the <c>/v1</c> group (API keys, checked before the upgrade; rate limit).</summary>
    public static IEndpointRouteBuilder MapRealtime(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapApiGroup().MapGet("/realtime", RealtimeAsync)
            .WithName("RealtimeTranscription")
            .WithTags("Audio")
            .DescribeWebSocket(
                "OpenAI Realtime transcription session over WebSocket.",
                "OpenAI's Realtime API, transcription sessions only (`?intent=transcription` or `?model=ID`); docs/streaming.md.");
        return endpoints;
    }

    private static async Task RealtimeAsync(HttpContext context, StreamingServices services, ILogger<RealtimeConnection> logger)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("Connect with a WebSocket upgrade (ws:// or wss://); see docs/streaming.md.", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        string? model = context.Request.Query["model"];
        if (services.Catalog.Owner(model) is { Breaker.RetryAfter: { } pause } paused)
        {
            await InferenceUnavailable.Create(context, paused.Model.Id, pause).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        string? intent = context.Request.Query["intent"];
        if (intent is not null && intent != "transcription")
        {
            await RealtimeConnection.RejectAsync(socket, new StreamFailure(
                "invalid_intent", StreamCloseCodes.InvalidParameter, $"intent '{intent}' is not served: this server runs transcription sessions (?intent=transcription).")).ConfigureAwait(false);
            return;
        }

        if (!services.Catalog.IsReady)
        {
            await RealtimeConnection.RejectAsync(socket, new StreamFailure("service_unavailable", StreamCloseCodes.TryAgainLater, "The models are still loading; retry shortly.")).ConfigureAwait(false);
            return;
        }

        var (selection, failure) = StreamingEndpoints.ResolveModel(model, services.Catalog);
        if (selection is null)
        {
            await RealtimeConnection.RejectAsync(socket, failure!).ConfigureAwait(false);
            return;
        }

        using var connection = new RealtimeConnection(socket, services, selection);
        if (!services.Streams.TryEnter())
        {
            await RealtimeConnection.RejectAsync(socket, new StreamFailure(
                "too_many_streams", StreamCloseCodes.TryAgainLater, $"The server is at its limit of {services.Options.Value.MaxConcurrentStreams} streams or is stopping; retry later.")).ConfigureAwait(false);
            return;
        }

        try
        {
            await connection.RunAsync(logger, context.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            services.Streams.Exit();
        }
    }
}
