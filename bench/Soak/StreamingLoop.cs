using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;

namespace SpeechServe.Bench.Soak;

/// <summary>
/// One streaming client: session after session on <c>/v1/audio/stream</c> (docs/streaming.md), each sending a
/// clip in 100 ms frames at real-time pace, then <c>{"type":"end"}</c>. A session succeeds when it gets at least
/// one final, then <c>done</c>, then a 1000 close, and no error message. Its latency is from the end message to
/// <c>done</c> (operation <c>stream</c>).
/// </summary>
internal static class StreamingLoop
{
    private const string Operation = "stream";
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(SoakContext context, int client)
    {
        var models = context.Models.All;
        var limit = context.MaxIterations(perSecond: 1);
        for (var i = client; context.Running && i < limit; i++)
        {
            var clip = context.Clips[i % context.Clips.Count];
            var model = models[(i / context.Clips.Count) % models.Count];
            var what = $"{clip.Name} model={model}";
            try
            {
                context.Log.Succeeded(Operation, await StreamOnceAsync(context.Options.Url, clip, model).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is SoakCheckException or WebSocketException or OperationCanceledException or JsonException)
            {
                context.Log.Failed(Operation, $"{what}: {ex.Message}");
            }
        }
    }

    private static async Task<TimeSpan> StreamOnceAsync(Uri server, SpeechClip clip, string model)
    {
        var rate = clip.SampleRate.ToString(CultureInfo.InvariantCulture);
        var uri = new UriBuilder(server) { Scheme = "ws", Path = "/v1/audio/stream", Query = $"model={Uri.EscapeDataString(model)}&sample_rate={rate}&encoding=pcm_s16le" }.Uri;
        using var socket = new ClientWebSocket();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(clip.Pcm16.Length / 2.0 / clip.SampleRate) + AnswerTimeout);
        await socket.ConnectAsync(uri, deadline.Token).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        var receiving = ReceiveAllAsync(socket, clock, deadline.Token);

        string? sendError = null;
        var endSent = TimeSpan.Zero;
        try
        {
            var frameBytes = clip.SampleRate / 10 * 2;
            for (var offset = 0; offset < clip.Pcm16.Length && !receiving.IsCompleted; offset += frameBytes)
            {
                var size = Math.Min(frameBytes, clip.Pcm16.Length - offset);
                await socket.SendAsync(clip.Pcm16.AsMemory(offset, size), WebSocketMessageType.Binary, true, deadline.Token).ConfigureAwait(false);
                var wait = TimeSpan.FromSeconds((offset + size) / 2.0 / clip.SampleRate) - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, deadline.Token).ConfigureAwait(false);
                }
            }

            endSent = clock.Elapsed;
            await socket.SendAsync("{\"type\":\"end\"}"u8.ToArray(), WebSocketMessageType.Text, true, deadline.Token).ConfigureAwait(false);
        }
        catch (WebSocketException ex)
        {
            // The server closed first; what it said before closing is the better report.
            sendError = ex.Message;
        }

        var (messages, closeStatus, doneAt) = await receiving.ConfigureAwait(false);
        var failed = sendError is not null || closeStatus != WebSocketCloseStatus.NormalClosure || messages.LastOrDefault() != "done" ||
            !messages.Contains("final") || messages.Any(m => m.StartsWith("error", StringComparison.Ordinal));
        if (failed)
        {
            var close = closeStatus is { } status ? ((int)status).ToString(CultureInfo.InvariantCulture) : "none";
            throw new SoakCheckException($"close {close}, messages [{Summarise(messages)}]{(sendError is null ? "" : ", send failed: " + sendError)}");
        }

        return doneAt - endSent;
    }

    /// <summary>
    /// Reads every message until the server's close, answering it; returns the message types (an error as
    /// <c>error CODE: MESSAGE</c>), the close status and when <c>done</c> arrived on <paramref name="clock"/>.
    /// </summary>
    private static async Task<(List<string> Messages, WebSocketCloseStatus? Close, TimeSpan DoneAt)> ReceiveAllAsync(
        ClientWebSocket socket, Stopwatch clock, CancellationToken cancel)
    {
        await Task.Yield();
        var messages = new List<string>();
        var doneAt = TimeSpan.Zero;
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(length), cancel).ConfigureAwait(false);
                length += result.Count;
            }
            while (!result.EndOfMessage && length < buffer.Length);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (socket.State == WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancel).ConfigureAwait(false);
                }

                return (messages, socket.CloseStatus, doneAt);
            }

            using var message = JsonDocument.Parse(buffer.AsMemory(0, length));
            var type = message.RootElement.GetProperty("type").GetString() ?? "";
            if (type == "done")
            {
                doneAt = clock.Elapsed;
            }

            messages.Add(type == "error" ? $"error {message.RootElement.GetProperty("code").GetString()}: {message.RootElement.GetProperty("message").GetString()}" : type);
        }
    }

    private static string Summarise(List<string> types) =>
        string.Join(", ", types.GroupBy(t => t).Select(g => g.Count() == 1 ? g.Key : $"{g.Key} x{g.Count()}"));
}
