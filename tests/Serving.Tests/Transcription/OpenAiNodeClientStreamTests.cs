using System.Net;
using System.Text.Json;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Transcription;

/// <summary>
/// <c>stream=true</c> through the official <c>openai</c> npm client (tests/e2e/transcribe-stream.mjs): the
/// <c>transcript.text</c> events it iterates, an inference failure after the stream started, and the refusal of
/// a format that cannot stream.
/// </summary>
[Collection(ServingServerDefinition.Name)]
public sealed class OpenAiNodeClientStreamTests(ServingServerFixture server)
{
    [Fact]
    public async Task OpenAiClient_StreamTrue_DeltasJoinToDoneTextOfTheSameTokensAsTheUpload()
    {
        var wav = Path.Combine(server.ScratchPath, $"node-stream-{Guid.NewGuid():N}.wav");
        await File.WriteAllBytesAsync(wav, await server.Speech.WavAsync(16_000));

        var root = await RunAsync(server.BaseAddress, wav, server.ServerOutput);

        Assert.Equal(JsonValueKind.Null, root.GetProperty("error").ValueKind);
        var events = root.GetProperty("events").EnumerateArray().ToList();
        Assert.True(events.Count >= 2, root.GetRawText());
        var deltas = events[..^1].Select(e =>
        {
            Assert.Equal("transcript.text.delta", e.GetProperty("type").GetString());
            return e.GetProperty("delta").GetString()!;
        }).ToList();
        Assert.Equal("transcript.text.done", events[^1].GetProperty("type").GetString());
        var done = events[^1].GetProperty("text").GetString()!;
        Assert.Equal(done, string.Concat(deltas));

        // Segments own the tokens that start in them (docs/streaming.md): only a segment boundary inside a word may add a space.
        var uploaded = root.GetProperty("text").GetString()!;
        Assert.Equal(uploaded.Replace(" ", "", StringComparison.Ordinal), done.Replace(" ", "", StringComparison.Ordinal));

        var refusal = root.GetProperty("srtRefusal");
        Assert.Equal(400, refusal.GetProperty("status").GetInt32());
        Assert.Equal("invalid_stream", refusal.GetProperty("code").GetString());
        Assert.Equal("stream", refusal.GetProperty("param").GetString());
        Assert.Contains("response_format json or text", refusal.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAiClient_EncoderFailsAfterTheStreamStarted_ClientRaisesTheErrorEventAndServerStaysUp()
    {
        using var repository = RandomModelRepository.Create();

        // Streamed audio runs through the streaming recognizer, whose fifth encoder run (1.28 s in) then fails.
        LengthLimitedEncoder.LimitCacheFrames(repository.ModelDirectory, maxCacheFrames: 24);
        var speech = await TestSpeech.CreateAsync(repository.ScratchPath);
        var wav = Path.Combine(repository.ScratchPath, "sentence.wav");
        await File.WriteAllBytesAsync(wav, await speech.WavAsync(16_000));
        await using var faulty = await ServingProcess.StartAsync(
            new Dictionary<string, string> { ["Serving__ModelsPath"] = repository.ModelsPath },
            TimeSpan.FromSeconds(60));

        var root = await RunAsync(faulty.BaseAddress, wav, faulty.Output);

        Assert.True(root.GetProperty("started").GetBoolean(), root.GetRawText());
        var error = root.GetProperty("error");
        Assert.Equal("inference_failed", error.GetProperty("code").GetString());
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.DoesNotContain(root.GetProperty("events").EnumerateArray(), e => e.GetProperty("type").GetString() == "transcript.text.done");
        using var client = faulty.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
    }

    private static Task<JsonElement> RunAsync(Uri baseAddress, string wav, string serverOutput) =>
        NodeClient.RunAsync("transcribe-stream.mjs", [new Uri(baseAddress, "v1").ToString(), wav, RandomModelRepository.ModelId], serverOutput);
}
