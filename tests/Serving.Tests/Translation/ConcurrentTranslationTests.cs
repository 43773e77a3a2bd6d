using System.Text.Json;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Translation;

/// <summary>
/// German and Spanish translations running at the same time as transcriptions on the same encoder: every request
/// succeeds, and each translation is as close to its reference as when it runs alone.
/// </summary>
[Collection(ShippedTranslationDefinition.Name)]
public sealed class ConcurrentTranslationTests(ShippedTranslationFixture server)
{
    [Fact]
    public async Task Translate_BothLanguagesWithTranscriptionsConcurrently_AllSucceed()
    {
        using var client = server.CreateClient();
        var english = await (await server.SpeechAsync(TestSpeech.Sentence, "en")).WavAsync(16_000);
        var requests = new List<Task>();
        for (var round = 0; round < 3; round++)
        {
            foreach (var sentence in TranslationSentence.HeldOut)
            {
                foreach (var language in (string[])["de", "es"])
                {
                    requests.Add(TranslateAsync(client, sentence, language));
                }

                requests.Add(TranscribeAsync(client, english, round % 2 == 0 ? ShippedTranslationFixture.BaseModel : ShippedTranslationFixture.RecognitionAdapter));
            }
        }

        await Task.WhenAll(requests);
    }

    private async Task TranslateAsync(HttpClient client, TranslationSentence sentence, string language)
    {
        var wav = await server.WavAsync(sentence, language);
        using var response = await TranscriptionUpload.PostTranslationAsync(client, wav, ShippedTranslationFixture.Adapter(language), ("response_format", "text"));
        TranslationAssert.Close(sentence.English, await ResponseAssert.OkAsync(response));
    }

    private static async Task TranscribeAsync(HttpClient client, byte[] wav, string model)
    {
        using var response = await TranscriptionUpload.PostAsync(client, wav, model);
        using var body = JsonDocument.Parse(await ResponseAssert.OkAsync(response));
        Assert.False(string.IsNullOrWhiteSpace(body.RootElement.GetProperty("text").GetString()));
    }
}
