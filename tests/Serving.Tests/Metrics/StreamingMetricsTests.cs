using System.Net.WebSockets;
using SpeechServe.Serving.Tests.Streaming;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Metrics;

/// <summary>A WebSocket stream shows in the open-streams gauge while it runs, then in the audio and request counters.</summary>
[Collection(StreamingServerGroup.Name)]
public sealed class StreamingMetricsTests(StreamingServerFixture server)
{
    private const string ModelId = StreamingServerFixture.ModelId;

    [Fact]
    public async Task Stream_OpenThenEnded_GaugeFollowsItAndItsAudioAndUpgradeAreCounted()
    {
        var (pcm, rate) = StreamClient.ReadPcm(server.Wavs[2]);
        (string, string)[] streaming = [("model", ModelId), ("mode", "streaming")];
        (string, string)[] upgrade = [("route", "/v1/audio/stream"), ("method", "GET"), ("status", "101"), ("model", ModelId)];
        var before = await MetricsScrape.GetAsync(server.Http);
        Assert.Equal(0, before.Find("speechserve_streams_active"));

        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(server.StreamUri($"model={ModelId}&sample_rate={rate}"), CancellationToken.None);
        var receiving = StreamClient.ReceiveAllAsync(socket);
        await socket.SendAsync(pcm.AsMemory(0, Math.Min(pcm.Length, 32_000)), WebSocketMessageType.Binary, true, CancellationToken.None);
        await UntilAsync(s => s.Find("speechserve_streams_active") == 1, "the open stream in the gauge");
        if (pcm.Length > 32_000)
        {
            await socket.SendAsync(pcm.AsMemory(32_000), WebSocketMessageType.Binary, true, CancellationToken.None);
        }

        await StreamClient.SendTextAsync(socket, "{\"type\":\"end\"}");
        var outcome = await receiving;
        Assert.Equal("done", outcome.Messages[^1].Type);

        var after = await UntilAsync(
            s => s.Find("speechserve_streams_active") == 0 && s.Value("speechserve_http_requests_total", upgrade) > before.Value("speechserve_http_requests_total", upgrade),
            "the ended stream counted");
        Assert.Equal(1, after.Value("speechserve_http_requests_total", upgrade) - before.Value("speechserve_http_requests_total", upgrade));
        Assert.Equal(pcm.Length / 2.0 / rate, after.Value("speechserve_audio_seconds_total", streaming) - before.Value("speechserve_audio_seconds_total", streaming), 6);
    }

    private async Task<MetricsScrape> UntilAsync(Func<MetricsScrape, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var scrape = await MetricsScrape.GetAsync(server.Http);
            if (condition(scrape))
            {
                return scrape;
            }

            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}:\n{scrape.Text}");
            await Task.Delay(50);
        }
    }
}
