using System.Text.Json;
using SpeechServe.Runtime.Decoding;
using SpeechServe.Serving.Tests.Support;
using SpeechServe.Tests.Support;

namespace SpeechServe.Serving.Tests.Transcription;

/// <summary>
/// A model repository exported with a word language model (the shipped model's) is served by the real
/// server, which decodes REST transcriptions with the lexicon search: the random weights make the words
/// arbitrary, but every word must be a word of the language model.
/// </summary>
public sealed class LanguageModelTranscriptionTests
{
    private static readonly string Arpa = ShippedLanguageModel.FilePath;

    [Fact]
    public async Task Transcribe_ModelWithLanguageModel_ProducesOnlyLexiconWords()
    {
        var (repository, server, wav) = await StartAsync();
        using var repositoryScope = repository;
        await using var serverScope = server;
        using var client = server.CreateClient();
        var lexicon = ArpaReader.Load(Arpa).Words.ToHashSet(StringComparer.Ordinal);

        var texts = new List<string>();
        foreach (var model in new[] { RandomModelRepository.ModelId, RandomModelRepository.AdapterNames[0] })
        {
            using var response = await TranscriptionUpload.PostAsync(client, wav, model, "audio.wav", ("response_format", "verbose_json"));
            using var document = JsonDocument.Parse(await ResponseAssert.OkAsync(response));
            var text = document.RootElement.GetProperty("text").GetString()!;
            texts.Add(text);
            Assert.All(text.Split(' ', StringSplitOptions.RemoveEmptyEntries), word => Assert.Contains(word, lexicon));
        }

        Assert.Contains(texts, t => t.Length > 0);
        Assert.Contains("decodes with the language model lm.arpa", server.FullOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transcribe_Hotword_AppearsWhereTheSearchDidNotChooseItAndOnlyWhenBoosted()
    {
        var (repository, server, wav) = await StartAsync();
        using var repositoryScope = repository;
        await using var serverScope = server;
        using var client = server.CreateClient();

        var plain = await TextAsync(client, wav);
        var boosted = await TextAsync(client, wav, ("hotwords", "committee :50"));
        var prompted = await TextAsync(client, wav, ("prompt", "Minutes of the committee meeting."), ("hotwords", "committee :50"));

        Assert.DoesNotContain("committee", plain.Split(' '));
        Assert.Contains("committee", boosted.Split(' '));
        Assert.Contains("committee", prompted.Split(' '));
    }

    private static async Task<(RandomModelRepository Repository, ServingProcess Server, byte[] Wav)> StartAsync()
    {
        var repository = RandomModelRepository.Create(Arpa);
        try
        {
            var speech = await TestSpeech.CreateAsync(repository.ScratchPath);
            var server = await ServingProcess.StartAsync(
                new Dictionary<string, string> { ["Serving__ModelsPath"] = repository.ModelsPath },
                TimeSpan.FromSeconds(60));
            return (repository, server, await speech.WavAsync(16_000));
        }
        catch
        {
            repository.Dispose();
            throw;
        }
    }

    private static async Task<string> TextAsync(HttpClient client, byte[] wav, params (string Name, string Value)[] fields)
    {
        using var response = await TranscriptionUpload.PostAsync(client, wav, RandomModelRepository.ModelId, "audio.wav", fields);
        using var document = JsonDocument.Parse(await ResponseAssert.OkAsync(response));
        return document.RootElement.GetProperty("text").GetString()!;
    }
}
