using System.Net.ServerSentEvents;
using System.Text.Json;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Translation;

/// <summary><c>stream=true</c> on translations, read with .NET's server-sent events parser (the openai npm client does not stream translations).</summary>
[Collection(ShippedTranslationDefinition.Name)]
public sealed class TranslationStreamTests(ShippedTranslationFixture server)
{
    [Fact]
    public async Task Translate_StreamTrue_OneDeltaThenDoneWithTheUnstreamedText()
    {
        using var client = server.CreateClient();
        var wav = await server.WavAsync(TranslationSentence.HeldOut[1], "de");
        var model = ShippedTranslationFixture.Adapter("de");
        using var plain = await TranscriptionUpload.PostTranslationAsync(client, wav, model);
        using var plainBody = JsonDocument.Parse(await ResponseAssert.OkAsync(plain));
        var text = plainBody.RootElement.GetProperty("text").GetString()!;

        using var streamed = await TranscriptionUpload.PostTranslationAsync(client, wav, model, ("stream", "true"));

        Assert.Equal("text/event-stream", streamed.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"{model}@1", streamed.Headers.GetValues("X-SpeechServe-Adapter").Single());
        var events = new List<JsonElement>();
        await foreach (var item in SseParser.Create(await streamed.Content.ReadAsStreamAsync()).EnumerateAsync())
        {
            events.Add(JsonDocument.Parse(item.Data).RootElement.Clone());
        }

        Assert.Equal(["transcript.text.delta", "transcript.text.done"], events.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(text, events[0].GetProperty("delta").GetString());
        Assert.Equal(text, events[1].GetProperty("text").GetString());
    }
}
