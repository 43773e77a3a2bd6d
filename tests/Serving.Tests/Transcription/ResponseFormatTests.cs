using System.Text.Json;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Transcription;

/// <summary>Every <c>response_format</c> against the real server, parsed and checked for structure.</summary>
[Collection(ServingServerDefinition.Name)]
public sealed class ResponseFormatTests(ServingServerFixture server)
{
    private const string Model = RandomModelRepository.ModelId;

    [Fact]
    public async Task Transcribe_DefaultFormat_ReturnsJsonWithTextOnly()
    {
        using var client = server.CreateClient();
        using var response = await TranscriptionUpload.PostAsync(client, await Wav(), Model);

        var body = await ResponseAssert.OkAsync(response, server);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        Assert.Equal(["text"], document.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.String, document.RootElement.GetProperty("text").ValueKind);
    }

    [Fact]
    public async Task Transcribe_Json_MatchesVerboseJsonText()
    {
        var json = await PostAsync("json");
        var verbose = VerboseTranscription.Parse(await PostAsync("verbose_json"));

        Assert.Equal(verbose.Text, JsonDocument.Parse(json).RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Transcribe_Text_ReturnsThePlainTranscriptLine()
    {
        using var client = server.CreateClient();
        using var response = await TranscriptionUpload.PostAsync(client, await Wav(), Model, fields: ("response_format", "text"));

        var body = await ResponseAssert.OkAsync(response, server);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("\n", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", body.TrimEnd('\n'), StringComparison.Ordinal);
        Assert.Equal(VerboseTranscription.Parse(await PostAsync("verbose_json")).Text, body.TrimEnd('\n'));
    }

    [Fact]
    public async Task Transcribe_Srt_ReturnsNumberedCuesOfTheSegments()
    {
        var verbose = VerboseTranscription.Parse(await PostAsync("verbose_json"));
        var cues = SubtitleCue.ParseSrt(await PostAsync("srt", "text/plain"));

        Assert.Equal(Enumerable.Range(1, cues.Count).Select(i => (int?)i), cues.Select(c => c.Number));
        AssertCuesMatchSegments(cues, verbose);
    }

    [Fact]
    public async Task Transcribe_Vtt_ReturnsWebVttCuesOfTheSegments()
    {
        var verbose = VerboseTranscription.Parse(await PostAsync("verbose_json"));
        var document = await PostAsync("vtt", "text/vtt");

        Assert.StartsWith("WEBVTT\n", document, StringComparison.Ordinal);
        AssertCuesMatchSegments(SubtitleCue.ParseVtt(document), verbose);
    }

    [Fact]
    public async Task Transcribe_VerboseJson_ReturnsDurationAndOrderedSegmentsWithoutWords()
    {
        var verbose = VerboseTranscription.Parse(await PostAsync("verbose_json"));

        TranscriptAssert.WellFormed(verbose, await server.Speech.DurationAsync(), 0.01, expectWords: false);
        Assert.Equal(Model, verbose.Model);
        Assert.Null(verbose.Adapter);
        Assert.Equal("english", verbose.Language);
        Assert.All(verbose.Segments, s => Assert.Equal(0, s.Temperature));
    }

    [Theory]
    [InlineData("word")]
    [InlineData("segment", "word")]
    public async Task Transcribe_VerboseJsonWithWordGranularity_ReturnsOrderedWords(params string[] granularities)
    {
        var verbose = VerboseTranscription.Parse(
            await PostAsync("verbose_json", fields: granularities.Select(g => ("timestamp_granularities[]", g)).ToArray()));

        TranscriptAssert.WellFormed(verbose, await server.Speech.DurationAsync(), 0.01, expectWords: true);
    }

    [Fact]
    public async Task Transcribe_LanguagePromptAndTemperature_EchoesLanguageAndDecodesTheSame()
    {
        var plain = VerboseTranscription.Parse(await PostAsync("verbose_json"));
        var withOptions = VerboseTranscription.Parse(await PostAsync(
            "verbose_json", fields: [("language", "EN"), ("prompt", "Medizinische Fachbegriffe."), ("temperature", "0.7")]));

        Assert.Equal("EN", withOptions.Language);
        Assert.Equal(plain.Text, withOptions.Text);
        Assert.All(withOptions.Segments, s => Assert.Equal(0.7, s.Temperature));
    }

    [Fact]
    public async Task Transcribe_SameRequestTwice_GivesTheSameResult()
    {
        Assert.Equal(await PostAsync("verbose_json"), await PostAsync("verbose_json"));
    }

    private static void AssertCuesMatchSegments(IReadOnlyList<SubtitleCue> cues, VerboseTranscription verbose)
    {
        Assert.Equal(verbose.Segments.Select(s => s.Text), cues.Select(c => c.Text));
        TranscriptAssert.Spans(cues.Select(c => (c.Start, c.End)).ToList(), verbose.Duration, "cue");
        foreach (var (cue, segment) in cues.Zip(verbose.Segments))
        {
            Assert.Equal(segment.Start, cue.Start, 0.0015);
            Assert.Equal(segment.End, cue.End, 0.0015);
        }
    }

    private Task<byte[]> Wav() => server.Speech.WavAsync(16_000);

    private async Task<string> PostAsync(string format, string? mediaType = null, params (string, string)[] fields)
    {
        using var client = server.CreateClient();
        using var response = await TranscriptionUpload.PostAsync(client, await Wav(), Model, fields: [("response_format", format), .. fields]);
        var body = await ResponseAssert.OkAsync(response, server);
        Assert.Equal(mediaType ?? "application/json", response.Content.Headers.ContentType?.MediaType);
        return body;
    }
}
