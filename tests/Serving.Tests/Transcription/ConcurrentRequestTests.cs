using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Transcription;

/// <summary>Many requests at once share encoder batches; each still gets its own model's result.</summary>
[Collection(ServingServerDefinition.Name)]
public sealed class ConcurrentRequestTests(ServingServerFixture server)
{
    private const int Requests = 16;

    [Fact]
    public async Task Transcribe_SixteenConcurrentMixedRequests_AllSucceedWithTheirSequentialResults()
    {
        string[] models = [RandomModelRepository.ModelId, .. RandomModelRepository.AdapterNames];
        int[] rates = [16_000, 8_000];
        using var client = server.CreateClient();
        var expected = new Dictionary<(string, int), string>();
        foreach (var model in models)
        {
            foreach (var rate in rates)
            {
                expected[(model, rate)] = await TranscribeAsync(client, model, rate);
            }
        }

        var requests = Enumerable.Range(0, Requests)
            .Select(i => (Model: models[i % models.Length], Rate: rates[i / models.Length % rates.Length]))
            .ToList();
        var results = await Task.WhenAll(requests.Select(r => TranscribeAsync(client, r.Model, r.Rate)));

        for (var i = 0; i < Requests; i++)
        {
            Assert.Equal(expected[requests[i]], results[i]);
        }
    }

    private async Task<string> TranscribeAsync(HttpClient client, string model, int sampleRate)
    {
        using var response = await TranscriptionUpload.PostAsync(client, await server.Speech.WavAsync(sampleRate), model, fields: ("response_format", "text"));
        return await ResponseAssert.OkAsync(response, server);
    }
}
