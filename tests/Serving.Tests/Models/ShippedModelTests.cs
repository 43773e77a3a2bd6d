using System.Text.Json;
using SpeechServe.Runtime.Evaluation;
using SpeechServe.Serving.Tests.Streaming;
using SpeechServe.Serving.Tests.Support;
using SpeechServe.Tests.Support;
using Xunit.Abstractions;

namespace SpeechServe.Serving.Tests.Models;

/// <summary>
/// The reference model shipped in <c>models/</c>, served by the real server: it loads with its adapters and
/// transcribes held-out sentences (from the test split of training/data, so never trained on) spoken by
/// espeak-ng, over REST and over the WebSocket stream (whose finals the language model decodes too). The error bound sits above the measured rate (docs/models.md); exceeding it means the frontend,
/// the export or the decoder has drifted from training.
/// </summary>
public sealed class ShippedModelTests(ITestOutputHelper output)
{
    private const string ModelId = "speechfm-en-small";

    /// <summary>
    /// The test prints the measured WER over these sentences (7.3 % over REST and over the stream, decoded with the model's language model); the bound
    /// leaves margin above it.
    /// </summary>
    private const double MaxWordErrorRate = 0.2;

    private static readonly string[] HeldOutSentences =
    [
        "he asked how long had it been that way",
        "the only thing to do with good advice is pass it on",
        "whatever you want to do you have to do something else first",
        "every man thinks god is on his side",
    ];

    [Fact]
    public async Task ShippedModel_HeldOutSentences_TranscribedWithinTheBound()
    {
        using var scratch = new ScratchDirectory("speechserve-shipped");
        await using var server = await ServingProcess.StartAsync(
            new Dictionary<string, string> { ["Serving__ModelsPath"] = Path.Combine(TrainingScripts.RepositoryRoot, "models") },
            TimeSpan.FromSeconds(60));
        using var client = server.CreateClient();

        using (var list = JsonDocument.Parse(await client.GetStringAsync(new Uri("/v1/models", UriKind.Relative))))
        {
            Assert.Equal(
                [ModelId, "accent", "far-field", "telephony", "translate-de", "translate-es"],
                list.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        }

        var rest = new List<string>();
        var streamed = new List<string>();
        foreach (var sentence in HeldOutSentences)
        {
            var wav = scratch.File($"{rest.Count}.wav");
            await ExternalTool.RunCheckedAsync("espeak-ng", ["-v", "en-us", "-w", wav, sentence]);
            using var response = await TranscriptionUpload.PostAsync(client, await File.ReadAllBytesAsync(wav), ModelId, fields: [("response_format", "text")]);
            var text = (await response.Content.ReadAsStringAsync()).Trim();
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {text}\n{server.Output}");
            rest.Add(text);

            var (pcm, rate) = StreamClient.ReadPcm(wav);
            var stream = await StreamClient.StreamAsync(
                new Uri($"ws://{server.BaseAddress.Authority}/v1/audio/stream?model={ModelId}&sample_rate={rate}"), pcm, rate, realTime: false);
            Assert.Equal("done", stream.Messages[^1].Type);
            streamed.Add(stream.FinalText);
        }

        AssertWithinBound("REST", rest);
        AssertWithinBound("stream (finals)", streamed);
    }

    private void AssertWithinBound(string path, IReadOnlyList<string> transcripts)
    {
        var errors = HeldOutSentences.Zip(transcripts).Sum(p => WordErrors.Distance(WordErrors.Words(p.First), WordErrors.Words(p.Second)));
        var words = HeldOutSentences.Sum(s => WordErrors.Words(s).Length);
        var wer = (double)errors / words;
        output.WriteLine($"{path}: WER {wer:P1} over {words} words:\n{string.Join('\n', transcripts)}");
        Assert.True(wer <= MaxWordErrorRate, $"{path}: WER {wer:P1} over {words} words exceeds {MaxWordErrorRate:P0}:\n{string.Join('\n', transcripts)}");
    }
}
