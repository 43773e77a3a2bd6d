using System.Net.WebSockets;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Streaming;

/// <summary>The WebSocket upgrade names the base model and the adapter version a stream runs on, as REST responses do.</summary>
[Collection(ServingServerDefinition.Name)]
public sealed class StreamVersionHeaderTests(ServingServerFixture server)
{
    [Theory]
    [InlineData("/v1/audio/stream?model=medical")]
    [InlineData("/?model=medical")]
    public async Task Upgrade_OnAnAdapter_NamesTheVersionItRunsOn(string path)
    {
        var headers = await UpgradeHeadersAsync(path);

        Assert.Equal(RandomModelRepository.ModelId, Assert.Single(headers["X-SpeechServe-Model"]));
        Assert.Matches(@"^medical@[1-9][0-9]*$", Assert.Single(headers["X-SpeechServe-Adapter"]));
    }

    [Fact]
    public async Task Upgrade_OnTheBaseModel_NamesTheModelAndNoAdapter()
    {
        var headers = await UpgradeHeadersAsync($"/v1/audio/stream?model={RandomModelRepository.ModelId}");

        Assert.Equal(RandomModelRepository.ModelId, Assert.Single(headers["X-SpeechServe-Model"]));
        Assert.False(headers.ContainsKey("X-SpeechServe-Adapter"));
    }

    [Fact]
    public async Task Upgrade_OnAnUnknownModel_NamesNoModel()
    {
        var headers = await UpgradeHeadersAsync("/v1/audio/stream?model=whisper-1");

        Assert.False(headers.ContainsKey("X-SpeechServe-Model"));
    }

    private async Task<IReadOnlyDictionary<string, IEnumerable<string>>> UpgradeHeadersAsync(string path)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var uri = new UriBuilder(new Uri(server.BaseAddress, path)) { Scheme = "ws" }.Uri;
        await socket.ConnectAsync(uri, CancellationToken.None);
        var headers = socket.HttpResponseHeaders!;
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        return new Dictionary<string, IEnumerable<string>>(headers, StringComparer.OrdinalIgnoreCase);
    }
}
