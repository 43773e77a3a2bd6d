using System.Net;
using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using SpeechServe.Serving.Streaming;

namespace SpeechServe.Serving.Tests.Streaming;

[Collection(StreamingServerGroup.Name)]
public sealed class StreamingBadInputTests(StreamingServerFixture server)
{
    public static TheoryData<string, string, string, int> Cases => new()
    {
        // name, query, action, expected close status; the expected error code is the name.
        { "unexpected_text", "", "text", 1007 },
        // Found by StreamControlMessagePropertyTests: these threw out of the connection, which was dropped without an error.
        { "unexpected_text", "", "text-type-number", 1007 },
        { "unexpected_text", "", "text-lone-surrogate", 1007 },
        { "frame_too_large", "", "oversize", 1009 },
        { "invalid_audio", "", "odd", 1007 },
        { "invalid_parameter", "encoding=opus", "none", 4400 },
        { "invalid_parameter", "sample_rate=12x", "none", 4400 },
        { "invalid_parameter", "sample_rate=1000000", "none", 4400 },
        { "model_not_found", "model=no-such-model", "none", 4404 },
        { "idle_timeout", "", "idle", 4408 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Stream_BadInput_ErrorAndCloseCodeThenServerHealthy(string code, string query, string action, int closeStatus)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(server.StreamUri(query), CancellationToken.None);
        var receiving = StreamClient.ReceiveAllAsync(socket);
        switch (action)
        {
            case "text":
                await StreamClient.SendTextAsync(socket, "{\"type\":\"config\"}");
                break;
            case "text-type-number":
                await StreamClient.SendTextAsync(socket, "{\"type\":1}");
                break;
            case "text-lone-surrogate":
                await StreamClient.SendTextAsync(socket, "{\"type\":\"end\",\"\\ud800\":1}");
                break;
            case "oversize":
                await socket.SendAsync(new byte[70_000], WebSocketMessageType.Binary, true, CancellationToken.None);
                break;
            case "odd":
                await socket.SendAsync(new byte[321], WebSocketMessageType.Binary, true, CancellationToken.None);
                break;
        }

        var outcome = await receiving;

        var error = Assert.Single(outcome.Messages, m => m.Type == "error");
        Assert.Equal(code, error.Code);
        Assert.Equal((WebSocketCloseStatus)closeStatus, outcome.CloseStatus);
        await AssertHealthyAsync();
    }

    [Fact]
    public async Task Stream_AbruptDisconnect_SlotFreedAndServerHealthy()
    {
        var (pcm, _) = StreamClient.ReadPcm(server.Wavs[0]);
        using (var socket = new ClientWebSocket())
        {
            await socket.ConnectAsync(server.StreamUri("sample_rate=22050"), CancellationToken.None);
            await socket.SendAsync(pcm.AsMemory(0, 8820), WebSocketMessageType.Binary, true, CancellationToken.None);
            socket.Abort();
        }

        var streams = server.Services.GetRequiredService<ActiveStreams>();
        for (var i = 0; i < 100 && streams.Open > 0; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(0, streams.Open);
        await AssertHealthyAsync();
    }

    [Fact]
    public async Task Stream_TooManyStreams_TryAgainLater()
    {
        var sockets = new List<ClientWebSocket>();
        try
        {
            for (var i = 0; i < 6; i++)
            {
                var socket = new ClientWebSocket();
                sockets.Add(socket);
                await socket.ConnectAsync(server.StreamUri(string.Empty), CancellationToken.None);
            }

            // The server counts a stream once it accepted it; wait until all six are counted.
            var streams = server.Services.GetRequiredService<ActiveStreams>();
            for (var i = 0; i < 100 && streams.Open < 6; i++)
            {
                await Task.Delay(20);
            }

            using var extra = new ClientWebSocket();
            await extra.ConnectAsync(server.StreamUri(string.Empty), CancellationToken.None);
            var outcome = await StreamClient.ReceiveAllAsync(extra);

            Assert.Equal("too_many_streams", Assert.Single(outcome.Messages).Code);
            Assert.Equal((WebSocketCloseStatus)1013, outcome.CloseStatus);
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Abort();
                socket.Dispose();
            }
        }
    }

    private async Task AssertHealthyAsync()
    {
        using var health = await server.Http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var (pcm, rate) = StreamClient.ReadPcm(server.Wavs[2]);
        var outcome = await StreamClient.StreamAsync(server.StreamUri($"sample_rate={rate}"), pcm, rate, realTime: false);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, outcome.CloseStatus);
        Assert.Equal("done", outcome.Messages[^1].Type);
    }
}
