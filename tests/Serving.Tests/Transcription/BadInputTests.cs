using System.Net;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Transcription;

/// <summary>
/// Each bad request gets its documented status and OpenAI's error shape, never a 500 or a hang, and leaves the
/// server healthy: the next good request succeeds and <c>/healthz</c> stays 200.
/// </summary>
[Collection(ServingServerDefinition.Name)]
public sealed class BadInputTests(ServingServerFixture server)
{
    public static TheoryData<string, HttpStatusCode, string> Cases => BadInputCases.All;

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Transcribe_BadInput_AnswersDocumentedErrorAndKeepsServing(string name, HttpStatusCode status, string code)
    {
        using var client = server.CreateClient();
        using var request = await BadInputCases.RequestAsync(name, server.Speech);

        using (var response = await client.SendAsync(request))
        {
            await ResponseAssert.OpenAiErrorAsync(response, status, code, server);
        }

        using var good = await TranscriptionUpload.PostAsync(client, await server.Speech.WavAsync(16_000), RandomModelRepository.ModelId);
        await ResponseAssert.OkAsync(good, server);
        using var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        await ResponseAssert.OkAsync(health, server);
        server.Server.AssertRunning();
    }

    [Fact]
    public async Task Transcribe_UnknownModel_ListsTheAvailableModels()
    {
        using var client = server.CreateClient();

        using var response = await TranscriptionUpload.PostAsync(client, await server.Speech.WavAsync(16_000), "whisper-1");

        var error = await ResponseAssert.OpenAiErrorAsync(response, HttpStatusCode.NotFound, "model_not_found", server);
        var message = error.GetProperty("message").GetString();
        Assert.Equal("model", error.GetProperty("param").GetString());
        foreach (var id in (string[])[RandomModelRepository.ModelId, .. RandomModelRepository.AdapterNames])
        {
            Assert.Contains(id, message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("file", "empty file")]
    [InlineData("model", "missing model")]
    [InlineData("response_format", "bad response_format")]
    [InlineData("temperature", "temperature above 1")]
    [InlineData("timestamp_granularities[]", "word granularity without verbose_json")]
    [InlineData("file", "garbage bytes")]
    public async Task Transcribe_BadField_NamesTheFieldAsParam(string param, string name)
    {
        using var client = server.CreateClient();
        using var request = await BadInputCases.RequestAsync(name, server.Speech);

        using var response = await client.SendAsync(request);

        var expected = BadInputCases.All.Single(c => (string)c[0] == name);
        var error = await ResponseAssert.OpenAiErrorAsync(response, (HttpStatusCode)expected[1], (string)expected[2], server);
        Assert.Equal(param, error.GetProperty("param").GetString());
    }
}
