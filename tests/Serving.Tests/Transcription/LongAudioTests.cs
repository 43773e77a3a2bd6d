using System.Net.ServerSentEvents;
using System.Text.Json;
using SpeechServe.Runtime.Audio;
using SpeechServe.Runtime.Tests.Audio;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Transcription;

/// <summary>
/// Audio longer than <c>Serving:LongAudioSeconds</c> is transcribed segment by segment through the streaming
/// recognizer: two real servers on one random-weight repository, one with the limit at 2 s, one with the default.
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
        var events = new List<JsonElement>();
        await foreach (var item in SseParser.Create(await streamed.Content.ReadAsStreamAsync()).EnumerateAsync())
        {
            events.Add(JsonDocument.Parse(item.Data).RootElement.Clone());
        }

        Assert.Equal("transcript.text.done", events[^1].GetProperty("type").GetString());
        Assert.Equal(WithoutSpaces(result.Text), WithoutSpaces(events[^1].GetProperty("text").GetString()!));
    }

    private static async Task<VerboseTranscription> VerboseAsync(HttpClient client, byte[] wav)
    {
        using var response = await TranscriptionUpload.PostAsync(client, wav, RandomModelRepository.ModelId, fields: [("response_format", "verbose_json"), ("timestamp_granularities[]", "word")]);
        return VerboseTranscription.Parse(await ResponseAssert.OkAsync(response));
    }

    private static string WithoutSpaces(string text) => text.Replace(" ", "", StringComparison.Ordinal);
}
