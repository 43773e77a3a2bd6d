using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Transcription;

/// <summary>Selecting an adapter by passing its name as <c>model</c> (the vLLM LoRA convention).</summary>
[Collection(ServingServerDefinition.Name)]
public sealed class AdapterSelectionTests(ServingServerFixture server)
{
    [Theory]
    [InlineData("medical")]
    [InlineData("callcenter")]
    public async Task Transcribe_AdapterName_RunsOnThatAdapterAndSaysSo(string adapter)
    {
        using var client = server.CreateClient();

        using var response = await TranscriptionUpload.PostAsync(
            client, await server.Speech.WavAsync(16_000), adapter, fields: [("response_format", "verbose_json"), ("timestamp_granularities[]", "word")]);

        var verbose = VerboseTranscription.Parse(await ResponseAssert.OkAsync(response, server));
        Assert.Equal($"{adapter}@1", Assert.Single(response.Headers.GetValues("X-SpeechServe-Adapter")));
        Assert.Equal(RandomModelRepository.ModelId, Assert.Single(response.Headers.GetValues("X-SpeechServe-Model")));
        Assert.Equal(new VerboseAdapter(adapter, 1), verbose.Adapter);
        Assert.Equal(RandomModelRepository.ModelId, verbose.Model);
        TranscriptAssert.WellFormed(verbose, await server.Speech.DurationAsync(), 0.01, expectWords: true);
    }

    [Fact]
    public async Task Transcribe_BaseModel_SendsNoAdapterHeader()
    {
        using var client = server.CreateClient();

        using var response = await TranscriptionUpload.PostAsync(client, await server.Speech.WavAsync(16_000), RandomModelRepository.ModelId);

        await ResponseAssert.OkAsync(response, server);
        Assert.False(response.Headers.Contains("X-SpeechServe-Adapter"));
        Assert.Equal(RandomModelRepository.ModelId, Assert.Single(response.Headers.GetValues("X-SpeechServe-Model")));
    }
}
