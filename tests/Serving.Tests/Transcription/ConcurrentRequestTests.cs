using SpeechServe.Runtime.Audio;
using SpeechServe.Runtime.Tests.Audio;
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

    [Fact]
    public async Task Transcribe_LongAndShortUtterancesAtOnce_EachGetsItsSequentialResult()
    {
        // Offline encoding runs in windows of 16 chunks (5.12 s): a batch that holds an utterance longer than
        // one window and one that ends within the first window takes the short one through a window it has
        // no audio in.
        var sentence = await server.Speech.MonoAsync(16_000);
        float[] longAudio = [.. sentence, .. sentence];
        var shortAudio = sentence[..16_000];
        Assert.True(longAudio.Length > 2 * 512 * 160, "the long utterance must span more than one encoder window");
        byte[][] wavs = [Wav(longAudio), Wav(shortAudio)];
        using var client = server.CreateClient();
        var expected = new List<string>();
        foreach (var wav in wavs)
        {
            expected.Add(await TranscribeWavAsync(client, wav));
        }

        for (var round = 0; round < 3; round++)
        {
            var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => TranscribeWavAsync(client, wavs[i % 2])));
            for (var i = 0; i < results.Length; i++)
            {
                Assert.Equal(expected[i % 2], results[i]);
            }
        }
    }

    private static byte[] Wav(float[] samples) => new WavBuilder(16_000, 1, SampleEncoding.PcmSigned16).Build(samples);

    private async Task<string> TranscribeWavAsync(HttpClient client, byte[] wav)
    {
        using var response = await TranscriptionUpload.PostAsync(client, wav, RandomModelRepository.ModelId, fields: ("response_format", "text"));
        return await ResponseAssert.OkAsync(response, server);
    }

    private async Task<string> TranscribeAsync(HttpClient client, string model, int sampleRate)
    {
        using var response = await TranscriptionUpload.PostAsync(client, await server.Speech.WavAsync(sampleRate), model, fields: ("response_format", "text"));
        return await ResponseAssert.OkAsync(response, server);
    }
}
