using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using SpeechServe.Runtime.Audio;

namespace SpeechServe.Serving.Tests.Streaming;

/// <summary>A server message as the test reads it.</summary>
public sealed record ReceivedMessage(string Type, string? Text, int? Segment, double? Start, double? End, string? Code, string? Message)
{
    public static ReceivedMessage Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        string? Str(string name) => root.TryGetProperty(name, out var v) ? v.GetString() : null;
        double? Num(string name) => root.TryGetProperty(name, out var v) ? v.GetDouble() : null;
        return new ReceivedMessage(Str("type")!, Str("text"), root.TryGetProperty("segment", out var s) ? s.GetInt32() : null, Num("start"), Num("end"), Str("code"), Str("message"));
    }
}

/// <summary>What a stream got back: every message and the close status.</summary>
public sealed record StreamOutcome(IReadOnlyList<ReceivedMessage> Messages, WebSocketCloseStatus? CloseStatus)
{
    public IEnumerable<ReceivedMessage> Finals => Messages.Where(m => m.Type == "final");

    public string FinalText => string.Join(' ', Finals.Select(f => f.Text).Where(t => !string.IsNullOrEmpty(t)));
}

/// <summary>Drives <c>/v1/audio/stream</c> with ClientWebSocket.</summary>
public static class StreamClient
{
    /// <summary>The WAV's samples as 16-bit PCM bytes and its sample rate.</summary>
    public static (byte[] Pcm, int SampleRate) ReadPcm(string wavPath)
    {
        var wav = WavParser.Parse(File.ReadAllBytes(wavPath));
        var pcm = new byte[wav.Samples.Length * 2];
        for (var i = 0; i < wav.Samples.Length; i++)
        {
            BitConverter.TryWriteBytes(pcm.AsSpan(i * 2), (short)Math.Clamp(Math.Round(wav.Samples[i] * 32768.0), short.MinValue, short.MaxValue));
        }

        return (pcm, wav.Format.SampleRate);
    }

    /// <summary>
    /// Streams <paramref name="pcm"/> in 100 ms frames, sleeping between frames when <paramref name="realTime"/>.
    /// A server that ends the stream early (an error) stops the sending; its messages say why.
    /// </summary>
    public static async Task<StreamOutcome> StreamAsync(Uri uri, byte[] pcm, int sampleRate, bool realTime)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(uri, CancellationToken.None);
        var receiving = ReceiveAllAsync(socket);
        try
        {
            await SendAudioAsync(socket, pcm, sampleRate, realTime);
            await SendTextAsync(socket, "{\"type\":\"end\"}");
        }
        catch (WebSocketException) when (socket.State != WebSocketState.Open)
        {
        }

        return await receiving;
    }

    /// <summary>Sends <paramref name="pcm"/> in 100 ms frames, sleeping between frames when <paramref name="realTime"/>.</summary>
    public static async Task SendAudioAsync(WebSocket socket, byte[] pcm, int sampleRate, bool realTime)
    {
        var frame = sampleRate / 10 * 2;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var offset = 0; offset < pcm.Length; offset += frame)
        {
            var size = Math.Min(frame, pcm.Length - offset);
            await socket.SendAsync(pcm.AsMemory(offset, size), WebSocketMessageType.Binary, true, CancellationToken.None);
            if (realTime)
            {
                var due = TimeSpan.FromSeconds((offset + size) / 2.0 / sampleRate) - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due);
                }
            }
        }
    }

    /// <summary>Asserts that the server refuses the upgrade with 503 and Retry-After (a paused model), so no socket opens.</summary>
    public static async Task AssertUnavailableBeforeUpgradeAsync(Uri uri)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, CancellationToken.None));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, socket.HttpStatusCode);
        Assert.NotNull(socket.HttpResponseHeaders);
        Assert.True(socket.HttpResponseHeaders.ContainsKey("Retry-After"), "no Retry-After on the refused upgrade");
    }

    public static Task SendTextAsync(WebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>Reads messages until the server closes (answering its close), within 30 s.</summary>
    public static async Task<StreamOutcome> ReceiveAllAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var messages = new List<ReceivedMessage>();
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var length = 0;
                WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), timeout.Token);
                    length += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (socket.State == WebSocketState.CloseReceived)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                    }

                    return new StreamOutcome(messages, result.CloseStatus);
                }

                messages.Add(ReceivedMessage.Parse(Encoding.UTF8.GetString(buffer, 0, length)));
            }
        }
        catch (WebSocketException)
        {
            return new StreamOutcome(messages, socket.CloseStatus);
        }
    }
}
