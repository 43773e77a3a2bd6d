using SpeechServe.Runtime.Batching;
using SpeechServe.Runtime.Encoder;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Tests.Fixtures;
using SpeechServe.Runtime.Translation;
using SpeechServe.Tests.Support;

namespace SpeechServe.Runtime.Tests.Translation;

/// <summary><see cref="SpeechTranslator"/>: the shipped encoder with exported random decoders as translation heads.</summary>
[Collection(OnnxTestGroup.Name)]
public sealed class SpeechTranslatorTests(OnnxFixture onnx, ExportedDecoderFixture decoders) : IClassFixture<ExportedDecoderFixture>
{
    [Fact]
    public async Task TranslateAsync_TwoHeadsInOneBatch_EachRequestGetsItsResultAlone()
    {
        using var model = LoadModel();
        var first = model.BaseAdapter.WithTranslation(decoders.Head);
        var second = model.BaseAdapter.WithTranslation(decoders.OtherHead);
        (float[] Samples, AdapterWeights Adapter, TranslationDecodingOptions Decoding)[] requests =
        [
            (Noise(1.3, seed: 1), first, new() { BeamWidth = 3 }),
            (Noise(0.7, seed: 2), second, new()),
            (Noise(2.1, seed: 3), first, new()),
            (Noise(1.0, seed: 4), second, new() { BeamWidth = 2, LengthPenalty = 0.5 }),
        ];

        var batchSizes = new List<int>();
        await using var batched = new SpeechTranslator(model.Encoder, onnx.Sessions, Options(maxBatchSize: 8));
        batched.BatchCompleted += batchSizes.Add;
        var together = await Task.WhenAll(requests.Select(r => batched.TranslateAsync(r.Samples, r.Adapter, r.Decoding)));

        await using var single = new SpeechTranslator(model.Encoder, onnx.Sessions, Options(maxBatchSize: 1));
        foreach (var (request, result) in requests.Zip(together))
        {
            var alone = await single.TranslateAsync(request.Samples, request.Adapter, request.Decoding);
            Assert.Equal(alone.TokenIds, result.TokenIds);
            Assert.NotEmpty(result.TokenIds);
            Assert.Equal(request.Adapter.Translation!.Vocabulary.Decode(result.TokenIds), result.Text);
        }

        Assert.Equal([requests.Length], batchSizes);
    }

    [Fact]
    public async Task TranslateAsync_ABrokenHeadInTheBatch_FailsOnlyItsOwnRequests()
    {
        using var model = LoadModel();
        var working = model.BaseAdapter.WithTranslation(decoders.Head);
        var broken = model.BaseAdapter.WithTranslation(decoders.Head with { CrossGraph = decoders.Head.StepGraph });
        var batchSizes = new List<int>();
        await using var translator = new SpeechTranslator(model.Encoder, onnx.Sessions, Options(maxBatchSize: 8));
        translator.BatchCompleted += batchSizes.Add;

        var good = translator.TranslateAsync(Noise(1.0, seed: 5), working, new());
        var bad = translator.TranslateAsync(Noise(1.0, seed: 6), broken, new());

        Assert.NotEmpty((await good).TokenIds);
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => bad);
        Assert.Contains("decoder_cross.onnx lacks", error.Message, StringComparison.Ordinal);
        Assert.Equal([2], batchSizes);
        Assert.Throws<InvalidDataException>(() => translator.Prepare(broken.Translation!));
        translator.Prepare(working.Translation!);
    }

    [Fact]
    public async Task TranslateAsync_RecognitionAdapter_ThrowsArgumentException()
    {
        using var model = LoadModel();
        await using var translator = new SpeechTranslator(model.Encoder, onnx.Sessions, new TranslationOptions());

        var error = await Assert.ThrowsAsync<ArgumentException>(() => translator.TranslateAsync(Noise(1, seed: 1), model.BaseAdapter, new()));

        Assert.Equal("adapter", error.ParamName);
    }

    [Fact]
    public async Task TranslateAsync_SamplingWithABeam_ThrowsArgumentException()
    {
        using var model = LoadModel();
        await using var translator = new SpeechTranslator(model.Encoder, onnx.Sessions, new TranslationOptions());
        var adapter = model.BaseAdapter.WithTranslation(decoders.Head);

        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => translator.TranslateAsync(Noise(1, seed: 1), adapter, new() { BeamWidth = 2, Temperature = 0.8 }));

        Assert.Equal(nameof(TranslationDecodingOptions.Temperature), error.ParamName);
    }

    private SpeechModel LoadModel() =>
        SpeechModel.Load(Path.Combine(TrainingScripts.RepositoryRoot, "models", "speechfm-en-small"), onnx.Sessions);

    private static TranslationOptions Options(int maxBatchSize) => new()
    {
        Batching = new BatchingOptions { MaxBatchSize = maxBatchSize, MaxWait = TimeSpan.FromSeconds(2) },
        WindowChunks = 2,
    };

    private static float[] Noise(double seconds, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, (int)(seconds * 16000)).Select(_ => (float)((random.NextDouble() - 0.5) * 0.2))];
    }
}
