using System.Net;
using System.Net.WebSockets;
using SpeechServe.Serving.Tests.Streaming;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Translation;

/// <summary>
/// A translation request to a recognition model, a transcription or stream with a translation model, and bad
/// decoding fields get a clear 4xx naming the field and what to do; the server keeps translating after each.
/// </summary>
[Collection(ShippedTranslationDefinition.Name)]
public sealed class TranslationBadInputTests(ShippedTranslationFixture server)
{
    public static TheoryData<string, string, string, string> BadFields => new()
    {
        // field, value, expected param, expected code
        { "beam_width", "0", "beam_width", "invalid_beam_width" },
        { "beam_width", "17", "beam_width", "invalid_beam_width" },
        { "beam_width", "wide", "beam_width", "invalid_beam_width" },
        { "length_penalty", "-1", "length_penalty", "invalid_length_penalty" },
        { "length_penalty", "NaN", "length_penalty", "invalid_length_penalty" },
        { "max_tokens", "0", "max_tokens", "invalid_max_tokens" },
        { "max_tokens", "1.5", "max_tokens", "invalid_max_tokens" },
        { "temperature", "2.5", "temperature", "invalid_temperature" },
        { "response_format", "xml", "response_format", "invalid_response_format" },
    };

    [Theory]
    [InlineData(ShippedTranslationFixture.BaseModel)]
    [InlineData(ShippedTranslationFixture.RecognitionAdapter)]
    public async Task Translate_RecognitionModel_RefusedNamingTheTranslationModels(string model)
    {
        using var client = server.CreateClient();

        using var response = await TranscriptionUpload.PostTranslationAsync(client, await server.WavAsync(TranslationSentence.HeldOut[1], "de"), model);

        var error = await ResponseAssert.OpenAiErrorAsync(response, HttpStatusCode.BadRequest, "model_not_translation");
        Assert.Equal("model", error.GetProperty("param").GetString());
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains("translate-de, translate-es", message, StringComparison.Ordinal);
        Assert.Contains("/v1/audio/transcriptions", message, StringComparison.Ordinal);
        await AssertStillTranslatesAsync(client);
    }

    [Fact]
    public async Task Transcribe_TranslationModel_RefusedNamingTheTranslationsEndpoint()
    {
        using var client = server.CreateClient();

        using var response = await TranscriptionUpload.PostAsync(client, await server.WavAsync(TranslationSentence.HeldOut[1], "de"), "translate-de");

        var error = await ResponseAssert.OpenAiErrorAsync(response, HttpStatusCode.BadRequest, "model_not_transcription");
        Assert.Equal("model", error.GetProperty("param").GetString());
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains("/v1/audio/translations", message, StringComparison.Ordinal);
        Assert.Contains(ShippedTranslationFixture.BaseModel, message, StringComparison.Ordinal);
        Assert.DoesNotContain("translate-es", message, StringComparison.Ordinal);
        await AssertStillTranslatesAsync(client);
    }

    [Fact]
    public async Task Stream_TranslationModel_ErrorAndInvalidParameterClose()
    {
        using var socket = new ClientWebSocket();
        var uri = new UriBuilder(server.Server.BaseAddress) { Scheme = "ws", Path = "/v1/audio/stream", Query = "model=translate-es" }.Uri;
        await socket.ConnectAsync(uri, CancellationToken.None);

        var outcome = await StreamClient.ReceiveAllAsync(socket);

        var error = Assert.Single(outcome.Messages, m => m.Type == "error");
        Assert.Equal("model_not_transcription", error.Code);
        Assert.Equal((WebSocketCloseStatus)4400, outcome.CloseStatus);
        using var client = server.CreateClient();
        await AssertStillTranslatesAsync(client);
    }

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task Translate_BadField_400NamingTheField(string field, string value, string param, string code)
    {
        using var client = server.CreateClient();

        using var response = await TranscriptionUpload.PostTranslationAsync(
            client, await server.WavAsync(TranslationSentence.HeldOut[1], "es"), "translate-es", (field, value));

        var error = await ResponseAssert.OpenAiErrorAsync(response, HttpStatusCode.BadRequest, code);
        Assert.Equal(param, error.GetProperty("param").GetString());
        await AssertStillTranslatesAsync(client);
    }

    [Fact]
    public async Task Translate_SamplingWithABeam_RefusedNamingBeamWidth()
    {
        using var client = server.CreateClient();

        using var response = await TranscriptionUpload.PostTranslationAsync(
            client, await server.WavAsync(TranslationSentence.HeldOut[1], "es"), "translate-es", ("temperature", "0.5"), ("beam_width", "4"));

        var error = await ResponseAssert.OpenAiErrorAsync(response, HttpStatusCode.BadRequest, "invalid_beam_width");
        Assert.Equal("beam_width", error.GetProperty("param").GetString());
    }

    private async Task AssertStillTranslatesAsync(HttpClient client)
    {
        var sentence = TranslationSentence.HeldOut[1];
        using var response = await TranscriptionUpload.PostTranslationAsync(client, await server.WavAsync(sentence, "de"), "translate-de", ("response_format", "text"));
        TranslationAssert.Close(sentence.English, await ResponseAssert.OkAsync(response));
        using var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        await ResponseAssert.OkAsync(health);
        server.Server.AssertRunning();
    }
}
