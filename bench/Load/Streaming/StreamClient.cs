using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace SpeechServe.Bench.Load.Streaming;

/// <summary>What one stream observed: result latencies in milliseconds, or the reason it failed.</summary>
internal sealed record StreamObservation(List<double> FinalLatencies, List<double> PartialLatencies, string? Error);

/// <summary>
/// One WebSocket client of <c>/v1/audio/stream</c>: sends 16-bit PCM frames at real-time pace, then
/// <c>{"type":"end"}</c>, and reads results until <c>done</c>. A result's latency is measured from when the
/// frame holding the last audio it needs was sent to when the result arrived.
/// </summary>
internal static class StreamClient
{
    /// <summary>
    /// The last feature frame of a result ends 15 ms after its <c>end</c> (25 ms analysis window, 10 ms hop), so
    /// that much audio past <c>end</c> is needed before the server can produce the result.
    /// </summary>
    private const double AnalysisLookaheadSeconds = 0.015;

    private static readonly byte[] EndMessage = Encoding.UTF8.GetBytes("""{"type":"end"}""");

    public static async Task<StreamObservation> RunAsync(Uri stream, SpeechClip clip, int frameMilliseconds, TimeSpan startDelay, TimeSpan timeout)
    {
        var observation = new StreamObservation([], [], null);
        await Task.Delay(startDelay).ConfigureAwait(false);
        using var deadline = new CancellationTokenSource(timeout);
        using var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(stream, deadline.Token).ConfigureAwait(false);
            var frameSamples = clip.SampleRate * frameMilliseconds / 1000;
            var frames = (clip.Samples.Length + frameSamples - 1) / frameSamples;
            var sentMs = new double[frames];
            var clock = Stopwatch.StartNew();
            var receiving = ReceiveAsync(socket, clock, sentMs, (double)frameSamples / clip.SampleRate, observation, deadline.Token);
            var frame = new byte[frameSamples * 2];
            for (var f = 0; f < frames; f++)
            {
                var wait = TimeSpan.FromMilliseconds((f + 1) * frameMilliseconds) - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, deadline.Token).ConfigureAwait(false);
                }

                var count = Math.Min(frameSamples, clip.Samples.Length - (f * frameSamples));
                for (var i = 0; i < count; i++)
                {
                    var sample = Math.Clamp(clip.Samples[(f * frameSamples) + i], -1f, 1f);
                    BinaryPrimitives.WriteInt16LittleEndian(frame.AsSpan(i * 2), (short)Math.Round(sample * short.MaxValue));
                }

                Volatile.Write(ref sentMs[f], clock.Elapsed.TotalMilliseconds);
                await socket.SendAsync(frame.AsMemory(0, count * 2), WebSocketMessageType.Binary, true, deadline.Token).ConfigureAwait(false);
            }

            await socket.SendAsync(EndMessage, WebSocketMessageType.Text, true, deadline.Token).ConfigureAwait(false);
            await receiving.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or InvalidDataException)
        {
            return observation with { Error = ex.Message };
        }

        try
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // Every result has arrived with done; how the connection then ends does not change them.
        }

        return observation;
    }

    private static async Task ReceiveAsync(
        ClientWebSocket socket, Stopwatch clock, double[] sentMs, double frameSeconds, StreamObservation observation, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var length = 0;
            ValueWebSocketReceiveResult received;
            do
            {
                received = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                length += received.Count;
            }
            while (!received.EndOfMessage && length < buffer.Length);

            if (received.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidDataException($"closed with {socket.CloseStatus} before done: {socket.CloseStatusDescription}");
            }

            var arrivedMs = clock.Elapsed.TotalMilliseconds;
            using var message = JsonDocument.Parse(buffer.AsMemory(0, length));
            var type = message.RootElement.GetProperty("type").GetString();
            switch (type)
            {
                case "done":
                    return;
                case "error":
                    throw new InvalidDataException(message.RootElement.GetRawText());
                case "partial" or "final":
                    var end = message.RootElement.GetProperty("end").GetDouble() + AnalysisLookaheadSeconds;
                    var frame = Math.Clamp((int)Math.Ceiling((end / frameSeconds) - 1e-6) - 1, 0, sentMs.Length - 1);
                    var latency = arrivedMs - Volatile.Read(ref sentMs[frame]);
                    (type == "final" ? observation.FinalLatencies : observation.PartialLatencies).Add(latency);
                    break;
            }
        }
    }
}
