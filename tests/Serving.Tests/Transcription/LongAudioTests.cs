using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using SpeechServe.Runtime.Audio;
using SpeechServe.Runtime.Tests.Audio;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Transcription;

/// <summary>
/// Audio longer than <c>Serving:LongAudioSeconds</c> is transcribed segment by segment through the streaming
/// recognizer, decoded as it is recognised: real servers on a random-weight repository, with the limit at 2 s or the
/// default.
/// </summary>
public sealed class LongAudioTests
{
    [Fact]
    public async Task Transcribe_LongAudio_SegmentsWithConfidenceAndTheTokensOfTheWholeUtterance()
    {
        using var repository = RandomModelRepository.Create();
        var speech = await TestSpeech.CreateAsync(repository.ScratchPath);
        var sentence = await speech.MonoAsync(16_000);
        float[] audio = [.. sentence, .. new float[2 * 16_000], .. sentence];
        var wav = new WavBuilder(16_000, 1, SampleEncoding.PcmSigned16).Build(audio);
        var settings = new Dictionary<string, string> { ["Serving__ModelsPath"] = repository.ModelsPath };
        await using var whole = await ServingProcess.StartAsync(settings, TimeSpan.FromSeconds(60));
        await using var segmented = await ServingProcess.StartAsync(
            new Dictionary<string, string>(settings) { ["Serving__LongAudioSeconds"] = "2" }, TimeSpan.FromSeconds(60));
        using var wholeClient = whole.CreateClient();
        using var segmentedClient = segmented.CreateClient();

        var reference = await VerboseAsync(wholeClient, wav);
        var result = await VerboseAsync(segmentedClient, wav);

        TranscriptAssert.WellFormed(result, audio.Length / 16_000.0, 0.01, expectWords: true);
        Assert.Equal(WithoutSpaces(reference.Text), WithoutSpaces(result.Text));
        foreach (var segment in result.Segments.Concat(reference.Segments))
        {
            Assert.InRange(segment.AvgLogprob, -50, -1e-6);
            Assert.InRange(segment.NoSpeechProb, 0, 1);
        }

        using var streamed = await TranscriptionUpload.PostAsync(segmentedClient, wav, RandomModelRepository.ModelId, fields: ("stream", "true"));
        var events = await EventsAsync(streamed);

        Assert.Equal("transcript.text.done", events[^1].GetProperty("type").GetString());
        Assert.Equal(WithoutSpaces(result.Text), WithoutSpaces(events[^1].GetProperty("text").GetString()!));

        // Compressed audio: ffmpeg's output is read as it is recognised, and gives the whole utterance's tokens too.
        var ogg = await CompressAsync(repository.ScratchPath, wav, "ogg", "-c:a", "libopus", "-b:a", "32k");
        var wholeOgg = await VerboseAsync(wholeClient, ogg, "speech.ogg");
        var segmentedOgg = await VerboseAsync(segmentedClient, ogg, "speech.ogg");
        Assert.True(segmentedOgg.Segments.Count >= 1);
        Assert.Equal(WithoutSpaces(wholeOgg.Text), WithoutSpaces(segmentedOgg.Text));
        Assert.Equal(wholeOgg.Duration, segmentedOgg.Duration, 3);
    }

    [Fact]
    public async Task Transcribe_LongAudioWithAProblemPastTheReadAhead_ClearErrorBeforeOrInsideTheStream()
    {
        using var repository = RandomModelRepository.Create();
        var speech = await TestSpeech.CreateAsync(repository.ScratchPath);
        var sentence = await speech.MonoAsync(16_000);
        var pause = new float[2 * 16_000];
        float[] audio = [.. sentence, .. pause, .. sentence];
        await using var server = await ServingProcess.StartAsync(
            new Dictionary<string, string>
            {
                ["Serving__ModelsPath"] = repository.ModelsPath,
                ["Serving__LongAudioSeconds"] = "2",
                ["Serving__MaxAudioSeconds"] = ((int)(audio.Length / 16_000.0) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            TimeSpan.FromSeconds(60));
        using var client = server.CreateClient();

        // A NaN near the end: found while the audio is recognised, after the 2 s read ahead.
        var late = (float[])audio.Clone();
        late[audio.Length - 8_000] = float.NaN;
        var lateWav = new WavBuilder(16_000, 1, SampleEncoding.IeeeFloat32).Build(late);
        using (var response = await TranscriptionUpload.PostAsync(client, lateWav, RandomModelRepository.ModelId, fields: ("response_format", "verbose_json")))
        {
            var error = await ResponseAssert.OpenAiErrorAsync(response, HttpStatusCode.BadRequest, "non_finite_sample");
            Assert.Contains("NaN", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        using (var streamed = await TranscriptionUpload.PostAsync(client, lateWav, RandomModelRepository.ModelId, fields: ("stream", "true")))
        {
            Assert.Equal(HttpStatusCode.OK, streamed.StatusCode);
            var events = await EventsAsync(streamed);
            Assert.Equal("error", events[^1].GetProperty("type").GetString());
            Assert.Equal("non_finite_sample", events[^1].GetProperty("error").GetProperty("code").GetString());
            Assert.DoesNotContain(events, e => e.GetProperty("type").GetString() == "transcript.text.done");
        }

        // Within the read ahead, even with stream=true, the problem is found before the stream starts.
        var early = (float[])audio.Clone();
        early[8_000] = float.NaN;
        var earlyWav = new WavBuilder(16_000, 1, SampleEncoding.IeeeFloat32).Build(early);
        using (var response = await TranscriptionUpload.PostAsync(client, earlyWav, RandomModelRepository.ModelId, fields: ("stream", "true")))
        {
            await ResponseAssert.OpenAiErrorAsync(response, HttpStatusCode.BadRequest, "non_finite_sample");
        }

        // Compressed audio over Serving:MaxAudioSeconds: the decoder's output passes the limit mid-stream.
        float[] longer = [.. audio, .. pause, .. sentence];
        var ogg = await CompressAsync(repository.ScratchPath, new WavBuilder(16_000, 1, SampleEncoding.PcmSigned16).Build(longer), "ogg", "-c:a", "libopus");
        using (var response = await TranscriptionUpload.PostAsync(client, ogg, RandomModelRepository.ModelId, "speech.ogg"))
        {
            await ResponseAssert.OpenAiErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "audio_too_long");
        }

        // The server still answers.
        using var ok = await TranscriptionUpload.PostAsync(client, new WavBuilder(16_000, 1, SampleEncoding.PcmSigned16).Build(audio), RandomModelRepository.ModelId);
        await ResponseAssert.OkAsync(ok);
    }

    private static async Task<List<JsonElement>> EventsAsync(HttpResponseMessage response)
    {
        var events = new List<JsonElement>();
        await foreach (var item in SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync())
        {
            events.Add(JsonDocument.Parse(item.Data).RootElement.Clone());
        }

        return events;
    }

    private static async Task<byte[]> CompressAsync(string directory, byte[] wav, string extension, params string[] codec)
    {
        var source = Path.Combine(directory, $"long-{Guid.NewGuid():N}.wav");
        await File.WriteAllBytesAsync(source, wav);
        var output = Path.ChangeExtension(source, extension);
        await ExternalTool.RunCheckedAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-i", source, .. codec, output]);
        return await File.ReadAllBytesAsync(output);
    }

    private static async Task<VerboseTranscription> VerboseAsync(HttpClient client, byte[] audio, string fileName = "audio.wav")
    {
        using var response = await TranscriptionUpload.PostAsync(client, audio, RandomModelRepository.ModelId, fileName, fields: [("response_format", "verbose_json"), ("timestamp_granularities[]", "word")]);
        return VerboseTranscription.Parse(await ResponseAssert.OkAsync(response));
    }

    private static string WithoutSpaces(string text) => text.Replace(" ", "", StringComparison.Ordinal);
}
