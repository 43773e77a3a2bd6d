using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using SpeechServe.Runtime.Streaming;
using SpeechServe.Serving.Models;
using SpeechServe.Serving.Streaming;
using SpeechServe.Serving.Transcription;

namespace SpeechServe.Serving.Realtime;

/// <summary>
/// One client of <c>/v1/realtime</c>: reads its JSON events one at a time, answers each with server events, and
/// answers a bad event with an <c>error</c> event while the session goes on. An inference failure, the audio
/// limit or the server stopping ends the session with an error event and a close status.
/// </summary>
internal sealed partial class RealtimeConnection : IDisposable
{
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(2);
    private readonly WebSocket _socket;
    private readonly StreamingServices _services;
    private readonly string _sessionId = RealtimeEvents.Id("sess");
    private ModelSelection _selection;
    private RealtimeSessionConfig _config;
    private RealtimeTurns _turns;

    public RealtimeConnection(WebSocket socket, StreamingServices services, ModelSelection selection)
    {
        _socket = socket;
        _services = services;
        _selection = selection;
        _config = new RealtimeSessionConfig(RealtimeAudioFormat.Pcm16, selection.Id, null, string.Empty, ServerVad: true);
        _turns = Turns();
    }

    /// <inheritdoc />
    public void Dispose() => _selection.Dispose();

    /// <summary>Sends the error event of a connection refused before its session starts, then closes.</summary>
    public static async Task RejectAsync(WebSocket socket, StreamFailure failure)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(failure);
        await SendAsync(socket, [RealtimeEvents.Error(FromStreamFailure(failure), null)], CancellationToken.None).ConfigureAwait(false);
        await CloseAsync(socket, failure.Status, failure.Code).ConfigureAwait(false);
    }

    /// <summary>Runs the session until the client closes it or it fails.</summary>
    public async Task RunAsync(ILogger logger, CancellationToken aborted)
    {
        var settings = _services.Options.Value;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted, _services.Streams.Stopping);
        var buffer = new byte[settings.MaxRealtimeEventBytes];
        try
        {
            await SendAsync(_socket, [RealtimeEvents.Create("session.created", new JsonObject { ["session"] = _config.Render(_sessionId) })], aborted).ConfigureAwait(false);
            while (true)
            {
                var (type, length) = await ReceiveAsync(buffer, stop.Token).ConfigureAwait(false);
                if (type == WebSocketMessageType.Close)
                {
                    await CloseAsync(_socket, WebSocketCloseStatus.NormalClosure, "done").ConfigureAwait(false);
                    break;
                }

                var (events, fatal) = await HandleAsync(type, buffer.AsMemory(0, length), settings).ConfigureAwait(false);
                await SendAsync(_socket, events, aborted).ConfigureAwait(false);
                if (fatal is not null)
                {
                    await CloseAsync(_socket, fatal.Value.Status, fatal.Value.Code).ConfigureAwait(false);
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (_services.Streams.Stopping.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            await CloseAsync(_socket, WebSocketCloseStatus.EndpointUnavailable, "server stopping").ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            Log.Aborted(logger, _selection.Id, ex.Message);
        }

        _services.Metrics.RecordStream(_selection.Id, _turns.AudioSeconds);
    }

    private async Task<(List<JsonObject> Events, (WebSocketCloseStatus Status, string Code)? Fatal)> HandleAsync(
        WebSocketMessageType? type, ReadOnlyMemory<byte> message, StreamingServerOptions settings)
    {
        if (type is null)
        {
            return Refuse(new RealtimeError("invalid_request_error", "event_too_large", $"An event may hold at most {settings.MaxRealtimeEventBytes} bytes; append audio in smaller pieces."), null);
        }

        if (type == WebSocketMessageType.Binary)
        {
            return Refuse(new RealtimeError("invalid_request_error", "invalid_event", "Send events as JSON text messages; audio goes base64-encoded in input_audio_buffer.append."), null);
        }

        JsonObject? clientEvent;
        try
        {
            clientEvent = JsonNode.Parse(message.Span) as JsonObject;
        }
        catch (JsonException)
        {
            clientEvent = null;
        }

        if (clientEvent is null)
        {
            return Refuse(new RealtimeError("invalid_request_error", "invalid_json", "An event must be a JSON object with a 'type'."), null);
        }

        var eventId = clientEvent["event_id"]?.ToString();
        try
        {
            return clientEvent["type"]?.ToString() switch
            {
                "session.update" => Update(clientEvent, eventId, beta: false),
                "transcription_session.update" => Update(clientEvent, eventId, beta: true),
                "input_audio_buffer.append" => await AppendAsync(clientEvent, eventId, settings).ConfigureAwait(false),
                "input_audio_buffer.commit" => await _turns.CommitAsync().ConfigureAwait(false) is { } committed
                    ? (committed, null)
                    : Refuse(new RealtimeError("invalid_request_error", "input_audio_buffer_commit_empty", "The input audio buffer is empty: append audio before committing it."), eventId),
                "input_audio_buffer.clear" => Clear(),
                var other => Refuse(new RealtimeError(
                    "invalid_request_error",
                    "unknown_event",
                    $"Event type '{other}' is not served; send session.update, transcription_session.update or input_audio_buffer.append, .commit or .clear.",
                    "type"), eventId),
            };
        }
        catch (Exception ex) when (StreamInferenceFailure.From(ex, _selection.Served) is { } failure)
        {
            return ([RealtimeEvents.Error(FromStreamFailure(failure), eventId)], (failure.Status, failure.Code));
        }
    }

    private (List<JsonObject>, (WebSocketCloseStatus, string)?) Update(JsonObject clientEvent, string? eventId, bool beta)
    {
        if (clientEvent["session"] is not JsonObject session)
        {
            return Refuse(RealtimeError.Invalid("session", "The event needs a 'session' object with the settings to change."), eventId);
        }

        var (config, error) = beta ? _config.UpdateBeta(session) : _config.Update(session);
        if (error is not null)
        {
            return Refuse(error, eventId);
        }

        var selection = _selection;
        if (config!.Model != _config.Model)
        {
            (selection, var failure) = StreamingEndpoints.ResolveModel(config.Model, _services.Catalog);
            if (selection is null)
            {
                var modelParam = beta ? "session.input_audio_transcription.model" : "session.audio.input.transcription.model";
                return Refuse(FromStreamFailure(failure!) with { Param = modelParam }, eventId);
            }
        }

        if (config.Language is { } language && !selection.Serves(language))
        {
            if (!ReferenceEquals(selection, _selection))
            {
                selection.Dispose();
            }

            var languageParam = beta ? "session.input_audio_transcription.language" : "session.audio.input.transcription.language";
            return Refuse(RealtimeError.Invalid(languageParam, $"The model '{selection.Id}' recognises '{selection.Language}' speech, not '{language}': set language to {selection.Language} or null."), eventId);
        }

        if (!ReferenceEquals(selection, _selection))
        {
            _selection.Dispose();
            _selection = selection;
        }

        // A new format, model or turn mode starts a new buffer: audio not yet committed is dropped.
        _config = config;
        _turns = Turns();
        var updated = beta
            ? RealtimeEvents.Create("transcription_session.updated", new JsonObject { ["session"] = _config.RenderBeta(_sessionId) })
            : RealtimeEvents.Create("session.updated", new JsonObject { ["session"] = _config.Render(_sessionId) });
        return ([updated], null);
    }

    private RealtimeTurns Turns() => new(
        _services.Recognizers, _selection, _config, HotwordRequest.FromPrompt(_config.Prompt).Boosts(_selection, _services.Serving.Value.HotwordScore));

    private async Task<(List<JsonObject>, (WebSocketCloseStatus, string)?)> AppendAsync(JsonObject clientEvent, string? eventId, StreamingServerOptions settings)
    {
        var audio = clientEvent["audio"]?.ToString() ?? string.Empty;
        var bytes = new byte[audio.Length * 3 / 4];
        if (!Convert.TryFromBase64String(audio, bytes, out var written))
        {
            return Refuse(new RealtimeError("invalid_request_error", "invalid_base64", "'audio' must be base64-encoded audio in the session's input format.", "audio"), eventId);
        }

        float[] samples;
        try
        {
            samples = PcmFrameDecoder.Decode(bytes.AsMemory(0, written), _config.Format.Encoding);
        }
        catch (FormatException ex)
        {
            return Refuse(new RealtimeError("invalid_request_error", "invalid_audio", ex.Message, "audio"), eventId);
        }

        if (_turns.AudioSeconds + (samples.Length / (double)_config.Format.SampleRate) > settings.MaxStreamSeconds)
        {
            var error = new RealtimeError("invalid_request_error", "max_duration_exceeded", $"A session may carry at most {settings.MaxStreamSeconds} s of audio; open a new one.", "audio");
            return ([RealtimeEvents.Error(error, eventId)], (WebSocketCloseStatus.PolicyViolation, error.Code));
        }

        return (await _turns.AppendAsync(samples).ConfigureAwait(false), null);
    }

    private (List<JsonObject>, (WebSocketCloseStatus, string)?) Clear()
    {
        _turns.Clear();
        return ([RealtimeEvents.Create("input_audio_buffer.cleared")], null);
    }

    private static (List<JsonObject>, (WebSocketCloseStatus, string)?) Refuse(RealtimeError error, string? eventId) => ([RealtimeEvents.Error(error, eventId)], null);

    private static RealtimeError FromStreamFailure(StreamFailure failure) => new(
        failure.Status is WebSocketCloseStatus.InternalServerError or StreamCloseCodes.TryAgainLater ? "server_error" : "invalid_request_error",
        failure.Code,
        failure.Message);

    /// <summary>Reads one whole message; a null type means it was larger than the buffer (it was read to its end and dropped).</summary>
    private async Task<(WebSocketMessageType? Type, int Length)> ReceiveAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var length = 0;
        var tooLarge = false;
        while (true)
        {
            if (length == buffer.Length)
            {
                (tooLarge, length) = (true, 0);
            }

            var result = await _socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (WebSocketMessageType.Close, 0);
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                return tooLarge ? (null, 0) : (result.MessageType, length);
            }
        }
    }

    private static async Task SendAsync(WebSocket socket, List<JsonObject> events, CancellationToken cancellationToken)
    {
        foreach (var serverEvent in events)
        {
            await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(serverEvent), WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task CloseAsync(WebSocket socket, WebSocketCloseStatus status, string reason)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(CloseWait);
        try
        {
            await socket.CloseAsync(status, reason, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            socket.Abort();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 46, Level = LogLevel.Information, Message = "Realtime session on {Model} aborted: {Reason}")]
        public static partial void Aborted(ILogger logger, string model, string reason);
    }
}
