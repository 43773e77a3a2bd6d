using System.Text.Json;
using SpeechServe.Runtime.Evaluation;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Translation;

/// <summary>
/// <c>POST /v1/audio/translations</c> on the shipped translation adapters, every <c>response_format</c>, German and
/// Spanish speech: English text close to the reference, the same text in every format, one subtitle cue and one
/// <c>verbose_json</c> segment over the whole audio.
/// </summary>
[Collection(ShippedTranslationDefinition.Name)]
public sealed class TranslationResponseFormatTests(ShippedTranslationFixture server)
{
    private static readonly TranslationSentence Sentence = TranslationSentence.HeldOut[0];

    [Theory]
    [InlineData("de")]
    [InlineData("es")]
    public async Task Translate_EveryResponseFormat_SameEnglishTextCloseToTheReference(string language)
    {
        using var client = server.CreateClient();
        var wav = await server.WavAsync(Sentence, language);
        var duration = await (await server.SpeechAsync(Sentence.Source(language), language)).DurationAsync();
        var model = ShippedTranslationFixture.Adapter(language);

        using var json = await TranscriptionUpload.PostTranslationAsync(client, wav, model);
        Assert.Equal("application/json", json.Content.Headers.ContentType?.MediaType);
        Assert.Equal(ShippedTranslationFixture.BaseModel, json.Headers.GetValues("X-SpeechServe-Model").Single());
        Assert.Equal($"{model}@1", json.Headers.GetValues("X-SpeechServe-Adapter").Single());
        using var jsonBody = JsonDocument.Parse(await ResponseAssert.OkAsync(json));
        Assert.Equal(["text"], jsonBody.RootElement.EnumerateObject().Select(p => p.Name));
        var text = jsonBody.RootElement.GetProperty("text").GetString()!;
        TranslationAssert.Close(Sentence.English, text);

        Assert.Equal(text + "\n", await PostAsync(client, wav, model, "text", "text/plain"));

        var srt = SubtitleCue.ParseSrt(await PostAsync(client, wav, model, "srt", "text/plain"));
        var vtt = SubtitleCue.ParseVtt(await PostAsync(client, wav, model, "vtt", "text/vtt"));
        foreach (var cue in (SubtitleCue[])[Assert.Single(srt), Assert.Single(vtt)])
        {
            Assert.Equal(text, cue.Text);
            Assert.Equal(0, cue.Start);
            Assert.Equal(duration, cue.End, 0.002);
        }

        var verbose = VerboseTranscription.Parse(await PostAsync(client, wav, model, "verbose_json", "application/json"));
        Assert.Equal("translate", verbose.Task);
        Assert.Equal("english", verbose.Language);
        Assert.Equal(duration, verbose.Duration, 0.01);
        Assert.Equal(text, verbose.Text);
        Assert.Null(verbose.Words);
        Assert.Equal(ShippedTranslationFixture.BaseModel, verbose.Model);
        Assert.Equal(new VerboseAdapter(model, 1), verbose.Adapter);
        var segment = Assert.Single(verbose.Segments);
        Assert.Equal((0, 0.0, verbose.Duration, text), (segment.Id, segment.Start, segment.End, segment.Text));
        Assert.Equal(WordErrors.Words(text).Length, segment.Tokens.Count);
    }

    [Fact]
    public async Task ListModels_ShippedModel_MarksTheTranslationAdapters()
    {
        using var client = server.CreateClient();

        using var response = await client.GetAsync(new Uri("/v1/models", UriKind.Relative));

        using var body = JsonDocument.Parse(await ResponseAssert.OkAsync(response));
        var tasks = body.RootElement.GetProperty("data").EnumerateArray()
            .ToDictionary(m => m.GetProperty("id").GetString()!, m => m.GetProperty("task").GetString());
        Assert.Equal("translate", tasks["translate-de"]);
        Assert.Equal("translate", tasks["translate-es"]);
        Assert.Equal("transcribe", tasks[ShippedTranslationFixture.BaseModel]);
        Assert.Equal("transcribe", tasks[ShippedTranslationFixture.RecognitionAdapter]);
    }

    [Fact]
    public async Task Translate_DecodingFields_GreedyAndSampledStillTranslateAndMaxTokensCuts()
    {
        using var client = server.CreateClient();
        var wav = await server.WavAsync(Sentence, "de");
        var model = ShippedTranslationFixture.Adapter("de");

        TranslationAssert.Close(Sentence.English, await TextAsync(client, wav, model, ("beam_width", "1")));
        TranslationAssert.Close(Sentence.English, await TextAsync(client, wav, model, ("beam_width", "8"), ("length_penalty", "0.5")));
        // Sampling at a low temperature stays near the greedy path.
        TranslationAssert.Close(Sentence.English, await TextAsync(client, wav, model, ("temperature", "0.1")));

        var cut = await TextAsync(client, wav, model, ("max_tokens", "3"));
        Assert.Equal(3, WordErrors.Words(cut).Length);
    }

    private static async Task<string> PostAsync(HttpClient client, byte[] wav, string model, string format, string mediaType)
    {
        using var response = await TranscriptionUpload.PostTranslationAsync(client, wav, model, ("response_format", format));
        var body = await ResponseAssert.OkAsync(response);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        return body;
    }

    private static async Task<string> TextAsync(HttpClient client, byte[] wav, string model, params (string Name, string Value)[] fields)
    {
        using var response = await TranscriptionUpload.PostTranslationAsync(client, wav, model, fields);
        using var body = JsonDocument.Parse(await ResponseAssert.OkAsync(response));
        return body.RootElement.GetProperty("text").GetString()!;
    }
}
