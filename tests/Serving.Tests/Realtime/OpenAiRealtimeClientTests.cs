using System.Net;
using System.Text.Json;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Realtime;

/// <summary>
/// OpenAI's Realtime transcription session through the official <c>openai</c> npm client's
/// <c>OpenAIRealtimeWS</c> (tests/e2e/realtime.mjs): wss:// with a self-signed certificate, <c>?model=ID</c>, both
/// forms of the session update, pcm16 at 24 kHz with server_vad, G.711 mu-law with manual commits, and bad events.
/// </summary>
public sealed class OpenAiRealtimeClientTests
{
    [Fact]
    public async Task OpenAiRealtimeWs_TranscriptionSession_TranscribesBothFormatsAndAnswersBadEventsWithErrors()
    {
        using var repository = RandomModelRepository.Create();
        var speech = await TestSpeech.CreateAsync(repository.ScratchPath);
        var configuration = new Dictionary<string, string>(SelfSignedCertificate.WriteKestrelDefault(repository.ScratchPath))
        {
            ["Serving__ModelsPath"] = repository.ModelsPath,
            ["Streaming__MaxRealtimeEventBytes"] = "65536",
        };
        await using var server = await ServingProcess.StartAsync(configuration, TimeSpan.FromSeconds(60), https: true);
        var pcm = await WriteAsync(repository, speech, "s16", "-ac", "1", "-ar", "24000", "-f", "s16le");
        var ulaw = await WriteAsync(repository, speech, "ulaw", "-ac", "1", "-ar", "8000", "-f", "mulaw");
        using var client = server.CreateClient();
        var pcmText = await TranscribeAsync(client, await speech.CompressedAsync("wav", "-ac", "1", "-ar", "24000", "-c:a", "pcm_s16le"));
        var ulawText = await TranscribeAsync(client, await speech.CompressedAsync("wav", "-ac", "1", "-ar", "8000", "-c:a", "pcm_mulaw"));

        var root = await NodeClient.RunAsync(
            "realtime.mjs", [new Uri(server.HttpsAddress!, "v1").ToString(), pcm, ulaw, RandomModelRepository.ModelId], server.Output, TimeSpan.FromMinutes(3));

        var events = root.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal("session.created", Type(events[0]));
        Assert.Equal("transcription", events[0].GetProperty("session").GetProperty("type").GetString());
        Assert.Equal(1000, root.GetProperty("closeCode").GetInt32());

        Assert.Equal("input_audio_buffer_commit_empty", ErrorCode(events, "bad_0"));
        Assert.Equal("unknown_event", ErrorCode(events, "bad_1"));
        Assert.Equal("invalid_base64", ErrorCode(events, "bad_2"));
        Assert.Equal("invalid_audio", ErrorCode(events, "bad_3"));
        Assert.Equal("model_not_found", ErrorCode(events, "bad_4"));
        Assert.Equal("invalid_value", ErrorCode(events, "bad_5"));
        Assert.Equal("invalid_value", ErrorCode(events, "bad_6"));
        Assert.Single(events, e => Type(e) == "error" && e.GetProperty("error").GetProperty("code").GetString() == "event_too_large");
        Assert.Equal(events.Count(e => Type(e) == "error"), root.GetProperty("errors").GetArrayLength());

        var updated = events.FindIndex(e => Type(e) == "session.updated");
        var afterPcm = ErrorIndex(events, "after_pcm16");
        var betaUpdated = events.FindIndex(e => Type(e) == "transcription_session.updated");
        var afterUlaw = ErrorIndex(events, "after_ulaw");
        Assert.True(updated < afterPcm && afterPcm < betaUpdated && betaUpdated < afterUlaw, string.Join(", ", events.Select(Type)));

        var pcmTurns = events[updated..afterPcm];
        AssertTurns(pcmTurns, pcmText, serverVad: true);
        var beta = events[betaUpdated].GetProperty("session");
        Assert.Equal("g711_ulaw", beta.GetProperty("input_audio_format").GetString());
        Assert.Equal(JsonValueKind.Null, beta.GetProperty("turn_detection").ValueKind);
        var ulawTurns = events[betaUpdated..afterUlaw];
        AssertTurns(ulawTurns, ulawText, serverVad: false);
        Assert.Single(ulawTurns, e => Type(e) == "input_audio_buffer.committed");

        Assert.Contains(events[afterUlaw..], e => Type(e) == "input_audio_buffer.cleared");
        Assert.Equal("input_audio_buffer_commit_empty", ErrorCode(events, "after_clear"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
    }

    // Every committed item is completed, its deltas add up to its transcript, and the transcripts hold the tokens of the upload.
    private static void AssertTurns(List<JsonElement> events, string uploadText, bool serverVad)
    {
        var committed = events.Where(e => Type(e) == "input_audio_buffer.committed").Select(e => e.GetProperty("item_id").GetString()!).ToList();
        var completed = events.Where(e => Type(e) == "conversation.item.input_audio_transcription.completed").ToList();
        Assert.NotEmpty(committed);
        Assert.Equal(committed, completed.Select(e => e.GetProperty("item_id").GetString()));
        foreach (var item in completed)
        {
            var id = item.GetProperty("item_id").GetString();
            var deltas = events.Where(e => Type(e) == "conversation.item.input_audio_transcription.delta" && e.GetProperty("item_id").GetString() == id);
            Assert.Equal(item.GetProperty("transcript").GetString(), string.Concat(deltas.Select(d => d.GetProperty("delta").GetString())));
            Assert.Equal(serverVad, events.Any(e => Type(e) == "input_audio_buffer.speech_started" && e.GetProperty("item_id").GetString() == id));
        }

        Assert.Equal(
            uploadText.Replace(" ", "", StringComparison.Ordinal),
            string.Concat(completed.Select(e => e.GetProperty("transcript").GetString())).Replace(" ", "", StringComparison.Ordinal));
    }

    private static string? Type(JsonElement e) => e.GetProperty("type").GetString();

    private static int ErrorIndex(List<JsonElement> events, string clientEventId) =>
        events.FindIndex(e => Type(e) == "error" && e.GetProperty("error").GetProperty("event_id").GetString() == clientEventId);

    private static string? ErrorCode(List<JsonElement> events, string clientEventId) =>
        events[ErrorIndex(events, clientEventId)].GetProperty("error").GetProperty("code").GetString();

    private static async Task<string> WriteAsync(RandomModelRepository repository, TestSpeech speech, string extension, params string[] arguments)
    {
        var path = Path.Combine(repository.ScratchPath, $"realtime-{Guid.NewGuid():N}.{extension}");
        await File.WriteAllBytesAsync(path, await speech.CompressedAsync(extension, arguments));
        return path;
    }

    private static async Task<string> TranscribeAsync(HttpClient client, byte[] wav)
    {
        using var response = await TranscriptionUpload.PostAsync(client, wav, RandomModelRepository.ModelId);
        using var body = JsonDocument.Parse(await ResponseAssert.OkAsync(response));
        return body.RootElement.GetProperty("text").GetString()!;
    }
}
