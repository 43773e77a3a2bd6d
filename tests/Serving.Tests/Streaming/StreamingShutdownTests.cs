using System.Net.WebSockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace SpeechServe.Serving.Tests.Streaming;

[Collection(StreamingServerGroup.Name)]
public sealed class StreamingShutdownTests(StreamingServerFixture server)
{
    [Fact]
    public async Task Stop_OpenStream_GetsFinalAndDoneBeforeServerStops()
    {
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder => builder
            .UseSetting("urls", "http://127.0.0.1:0")
            .UseSetting("Serving:ModelsPath", server.ModelsPath));
        factory.UseKestrel(0);
        factory.StartServer();
        var address = new Uri(factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var http = new HttpClient { BaseAddress = address };
        while (!(await http.GetAsync(new Uri("/readyz", UriKind.Relative))).IsSuccessStatusCode)
        {
            await Task.Delay(100);
        }

        var (pcm, rate) = StreamClient.ReadPcm(server.Wavs[0]);
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{address.Port}/v1/audio/stream?sample_rate={rate}"), CancellationToken.None);
        var receiving = StreamClient.ReceiveAllAsync(socket);
        await socket.SendAsync(pcm, WebSocketMessageType.Binary, true, CancellationToken.None);
        await Task.Delay(300);

        await factory.DisposeAsync();
        var outcome = await receiving;

        Assert.Equal(["final", "done"], outcome.Messages.Where(m => m.Type != "partial").Select(m => m.Type));
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, outcome.CloseStatus);
    }
}
