using System.Net.WebSockets;
using SpeechServe.Runtime.Audio;
using SpeechServe.Runtime.Streaming;
using SpeechServe.Serving.Models;
using SpeechServe.Serving.Resilience;

namespace SpeechServe.Serving.Streaming;

/// <summary>
/// One client of <c>/v1/audio/stream</c>: reads binary audio frames into a <see cref="StreamingSession"/>,
/// sends its partials and finals through an <see cref="OutgoingMessages"/>, and ends with <c>done</c>
/// and a normal close, or with an error message and its close code. An encoder run that fails or is
/// refused by the model's breaker ends the stream (<see cref="StreamInferenceFailure"/>); the server and
/// other streams go on.
/// </summary>
public sealed partial class StreamingConnection : IDisposable
{
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(2);
    private readonly WebSocket _socket;
    private readonly StreamingServerOptions _settings;
    private readonly CancellationToken _stopping;
    private readonly ILogger _logger;
    private readonly OutgoingMessages _queue;
    private readonly IStreamWireFormat _format;
    private Task<WebSocketReceiveResult>? _pendingReceive;

    internal StreamingConnection(WebSocket socket, IStreamWireFormat format, StreamingServerOptions settings, ILogger logger, CancellationToken stopping)
    {
        _socket = socket;
        _format = format;
        _settings = settings;
        _stopping = stopping;
        _logger = logger;
        _queue = new OutgoingMessages(settings.MaxPendingMessages);
    }

    /// <inheritdoc />
    public void Dispose() => _queue.Dispose();

    internal async Task RejectAsync(StreamFailure failure)
    {
        Log.Rejected(_logger, failure.Code, failure.Message);
        _queue.Complete(StreamMessage.Error(failure));
        await SendAllAsync(CancellationToken.None).ConfigureAwait(false);
        await CloseAsync(failure.Status, failure.Code).ConfigureAwait(false);
    }

    internal async Task RunAsync(StreamingSession session, SampleEncoding encoding, ModelSelection selection, CancellationToken aborted)
    {
        var model = selection.Id;
        Log.Opened(_logger, model, session.SampleRate, encoding);
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var sender = SendAllAsync(abort.Token);
        try
        {
            var (failure, status) = await ReceiveAllAsync(session, encoding, selection.Served).ConfigureAwait(false);
            if (!session.IsFinished && failure?.Code is not ("client_too_slow" or "client_closed" or InferenceFailed.Code or InferenceUnavailable.Code))
            {
                try
                {
                    Enqueue(await session.FinishAsync(CancellationToken.None).ConfigureAwait(false), endsStream: true);
                }
                catch (Exception ex) when (StreamInferenceFailure.From(ex, selection.Served) is { } inference)
                {
                    // The last final could not be made: that, not an earlier failure, is what the client must learn.
                    failure = inference;
                }
            }

            _queue.Complete(failure is null ? StreamMessage.Done : StreamMessage.Error(failure));
            if (failure?.Code != "client_closed" && await Task.WhenAny(sender, Task.Delay(CloseWait * 5, aborted)).ConfigureAwait(false) == sender)
            {
                await CloseAsync(failure?.Status ?? status, failure?.Code ?? "done").ConfigureAwait(false);
            }

            Log.Closed(_logger, model, session.AudioSeconds, session.ChunksEncoded, failure?.Code ?? "done");
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            Log.Aborted(_logger, model, ex.Message);
        }
        finally
        {
            await abort.CancelAsync().ConfigureAwait(false);
            _socket.Abort();
            await sender.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task<(StreamFailure? Failure, WebSocketCloseStatus Status)> ReceiveAllAsync(StreamingSession session, SampleEncoding encoding, ServedModel served)
    {
        var buffer = new byte[_settings.MaxFrameBytes];
        var idle = TimeSpan.FromSeconds(_settings.IdleTimeoutSeconds);
        var maxSamples = (long)(_settings.MaxStreamSeconds * session.SampleRate);
        while (true)
        {
            var (type, length, failure) = await ReceiveMessageAsync(buffer, idle).ConfigureAwait(false);
            if (failure is not null || type is null)
            {
                return failure is null ? (null, WebSocketCloseStatus.EndpointUnavailable) : (failure, failure.Status);
            }

            if (type == WebSocketMessageType.Close)
            {
                return (new StreamFailure("client_closed", WebSocketCloseStatus.NormalClosure, "The client closed the stream before sending end."), WebSocketCloseStatus.NormalClosure);
            }

            if (type == WebSocketMessageType.Text)
            {
                return _format.IsEnd(buffer.AsMemory(0, length))
                    ? (null, WebSocketCloseStatus.NormalClosure)
                    : (new StreamFailure("unexpected_text", WebSocketCloseStatus.InvalidPayloadData, _format.UnexpectedTextMessage), default);
            }

            float[] samples;
            try
            {
                samples = PcmFrameDecoder.Decode(buffer.AsMemory(0, length), encoding);
            }
            catch (FormatException ex)
            {
                return (new StreamFailure("invalid_audio", WebSocketCloseStatus.InvalidPayloadData, ex.Message), default);
            }

            if ((session.AudioSeconds * session.SampleRate) + samples.Length > maxSamples)
            {
                return (new StreamFailure("max_duration_exceeded", WebSocketCloseStatus.PolicyViolation, $"A stream may carry at most {_settings.MaxStreamSeconds} s of audio; the final covers the audio up to the limit."), default);
            }

            IReadOnlyList<StreamingResult> results;
            try
            {
                results = await session.AcceptAsync(samples, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (StreamInferenceFailure.From(ex, served) is { } inference)
            {
                return (inference, default);
            }

            if (!Enqueue(results))
            {
                return (new StreamFailure("client_too_slow", WebSocketCloseStatus.PolicyViolation, $"More than {_queue.Capacity} results were waiting for the client; read the messages as they come."), default);
            }
        }
    }

    /// <summary>Reads one whole message; a null type means the server is stopping.</summary>
    private async Task<(WebSocketMessageType? Type, int Length, StreamFailure? Failure)> ReceiveMessageAsync(byte[] buffer, TimeSpan idle)
    {
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                return (null, 0, new StreamFailure("frame_too_large", WebSocketCloseStatus.MessageTooBig, $"A message may hold at most {buffer.Length} bytes; send smaller frames (100 ms of audio is typical)."));
            }

            _pendingReceive ??= _socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), CancellationToken.None);
            using (var idleTimer = CancellationTokenSource.CreateLinkedTokenSource(_stopping))
            {
                await Task.WhenAny(_pendingReceive, Task.Delay(idle, idleTimer.Token)).ConfigureAwait(false);

                // Stop the timer at once, so that a stream of many frames does not leave a timer per frame.
                await idleTimer.CancelAsync().ConfigureAwait(false);
            }

            if (!_pendingReceive.IsCompleted)
            {
                return _stopping.IsCancellationRequested
                    ? (null, 0, null)
                    : (null, 0, new StreamFailure("idle_timeout", StreamCloseCodes.IdleTimeout, $"No message for {idle.TotalSeconds} s; send audio continuously or end the stream."));
            }

            var result = await _pendingReceive.ConfigureAwait(false);
            _pendingReceive = null;
            length += result.Count;
            if (result.EndOfMessage || result.MessageType == WebSocketMessageType.Close)
            {
                return (result.MessageType, length, null);
            }
        }
    }

    private bool Enqueue(IReadOnlyList<StreamingResult> results, bool endsStream = false) =>
        results.Select((r, i) => StreamMessage.From(r, endsStream && i == results.Count - 1)).All(_queue.TryEnqueue);

    private async Task SendAllAsync(CancellationToken cancellationToken)
    {
        while (await _queue.DequeueAsync(cancellationToken).ConfigureAwait(false) is { } message)
        {
            foreach (var frame in _format.Encode(message))
            {
                await _socket.SendAsync(frame, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(CloseWait);
        try
        {
            await _socket.CloseOutputAsync(status, reason, timeout.Token).ConfigureAwait(false);

            // Read (and drop) what the client still sends until its close frame arrives: aborting with unread
            // data would reset the connection and the client could lose the error message.
            var scratch = new byte[16 * 1024];
            while (true)
            {
                _pendingReceive ??= _socket.ReceiveAsync(new ArraySegment<byte>(scratch), timeout.Token);
                await Task.WhenAny(_pendingReceive, Task.Delay(CloseWait, timeout.Token)).ConfigureAwait(false);
                if (!_pendingReceive.IsCompleted || (await _pendingReceive.ConfigureAwait(false)).MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                _pendingReceive = null;
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            Log.Aborted(_logger, "-", ex.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Stream opened on {Model} at {SampleRate} Hz, {Encoding}")]
        public static partial void Opened(ILogger logger, string model, int sampleRate, SampleEncoding encoding);

        [LoggerMessage(EventId = 41, Level = LogLevel.Information, Message = "Stream on {Model} closed after {Seconds:F1} s of audio and {Chunks} chunks: {Outcome}")]
        public static partial void Closed(ILogger logger, string model, double seconds, int chunks, string outcome);

        [LoggerMessage(EventId = 42, Level = LogLevel.Warning, Message = "Stream rejected ({Code}): {Reason}")]
        public static partial void Rejected(ILogger logger, string code, string reason);

        [LoggerMessage(EventId = 43, Level = LogLevel.Information, Message = "Stream on {Model} aborted: {Reason}")]
        public static partial void Aborted(ILogger logger, string model, string reason);
    }
}
