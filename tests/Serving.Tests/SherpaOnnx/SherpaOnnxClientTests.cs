using System.Net;
using System.Text.Json;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.SherpaOnnx;

/// <summary>
/// sherpa-onnx's online WebSocket protocol on <c>/</c>, spoken by a client written from sherpa-onnx's published
/// examples (tests/e2e/sherpa-onnx-client.mjs), against the real server.
/// </summary>
[Collection(ServingServerDefinition.Name)]
public sealed class SherpaOnnxClientTests(ServingServerFixture server)
{
    [Theory]
    [InlineData(null, RandomModelRepository.ModelId)]
    [InlineData("medical", "medical")]
    public async Task SherpaClient_WholeFile_ResultsEndWithFinalEofThenDoneAndHoldTheUploadsTokens(string? model, string uploadModel)
    {
        var wav = await WavAsync();
        var root = await RunAsync(model is null ? "/" : $"/?model={model}", wav);

        Assert.True(root.GetProperty("doneReceived").GetBoolean(), root.GetRawText());
        Assert.Equal(1000, root.GetProperty("close").GetProperty("code").GetInt32());
        Assert.Empty(root.GetProperty("otherText").EnumerateArray());
        var results = root.GetProperty("results").EnumerateArray().ToList();
        Assert.NotEmpty(results);
        Assert.All(results[..^1], r => Assert.False(r.GetProperty("is_eof").GetBoolean()));
        Assert.True(results[^1].GetProperty("is_final").GetBoolean());
        Assert.True(results[^1].GetProperty("is_eof").GetBoolean());
        foreach (var result in results)
        {
            var tokens = result.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()!).ToList();
            var timestamps = result.GetProperty("timestamps").EnumerateArray().Select(t => t.GetDouble()).ToList();
            Assert.Equal(tokens.Count, timestamps.Count);
            Assert.True(timestamps.SequenceEqual(timestamps.Order()) && timestamps.All(t => t >= 0), result.GetRawText());
            Assert.True(result.GetProperty("start_time").GetDouble() >= 0);
            Assert.Equal(WithoutSpaces(result.GetProperty("text").GetString()!), WithoutSpaces(string.Concat(tokens)));
        }

        var finals = results.Where(r => r.GetProperty("is_final").GetBoolean()).ToList();
        Assert.Equal(Enumerable.Range(0, finals.Count), finals.Select(r => r.GetProperty("segment").GetInt32()));
        using var client = server.CreateClient();
        using var upload = await TranscriptionUpload.PostAsync(client, await File.ReadAllBytesAsync(wav), uploadModel);
        using var body = JsonDocument.Parse(await ResponseAssert.OkAsync(upload, server));
        Assert.Equal(
            WithoutSpaces(body.RootElement.GetProperty("text").GetString()!),
            WithoutSpaces(string.Concat(finals.Select(r => r.GetProperty("text").GetString()))));
    }

    [Theory]
    [InlineData("/?model=whisper-1", "normal", "model_not_found", 4404)]
    [InlineData("/?model=" + RandomModelRepository.ModelId, "text", "unexpected_text", 1007)]
    [InlineData("/", "ragged", "invalid_audio", 1007)]
    [InlineData("/?sample_rate=5", "normal", "invalid_parameter", 4400)]
    public async Task SherpaClient_BadInput_ErrorMessageAndCloseCodeAndServerStaysUp(string path, string mode, string code, int closeCode)
    {
        var root = await RunAsync(path, await WavAsync(), mode);

        Assert.False(root.GetProperty("doneReceived").GetBoolean());
        var error = Assert.Single(root.GetProperty("otherText").EnumerateArray());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Equal(closeCode, root.GetProperty("close").GetProperty("code").GetInt32());
        using var client = server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
    }

    private static string WithoutSpaces(string text) => text.Replace(" ", "", StringComparison.Ordinal).Replace("\u2581", "", StringComparison.Ordinal);

    private async Task<string> WavAsync()
    {
        var wav = Path.Combine(server.ScratchPath, $"sherpa-{Guid.NewGuid():N}.wav");
        await File.WriteAllBytesAsync(wav, await server.Speech.WavAsync(16_000));
        return wav;
    }

    private Task<JsonElement> RunAsync(string path, string wav, string mode = "normal") =>
        NodeClient.RunAsync("sherpa-onnx-client.mjs", [new Uri($"ws://{server.BaseAddress.Authority}{path}").ToString(), wav, mode], server.ServerOutput);
}
