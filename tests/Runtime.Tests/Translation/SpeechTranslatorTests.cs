using System.Collections.Concurrent;
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

        await using var batched = new SpeechTranslator(model.Encoder, onnx.Sessions, Options(maxBatchSize: 8));
        var together = await Task.WhenAll(await TranslateInOneBatchAsync(batched, requests));

        await using var single = new SpeechTranslator(model.Encoder, onnx.Sessions, Options(maxBatchSize: 1));
        foreach (var (request, result) in requests.Zip(together))
        {
            var alone = await single.TranslateAsync(request.Samples, request.Adapter, request.Decoding);
            Assert.Equal(alone.TokenIds, result.TokenIds);
            Assert.NotEmpty(result.TokenIds);
            Assert.Equal(request.Adapter.Translation!.Vocabulary.Decode(result.TokenIds), result.Text);
        }
    }

    [Fact]
    public async Task TranslateAsync_ABrokenHeadInTheBatch_FailsOnlyItsOwnRequests()
    {
        using var model = LoadModel();
        var working = model.BaseAdapter.WithTranslation(decoders.Head);
        var broken = model.BaseAdapter.WithTranslation(decoders.Head with { CrossGraph = decoders.Head.StepGraph });
        await using var translator = new SpeechTranslator(model.Encoder, onnx.Sessions, Options(maxBatchSize: 8));

        var results = await TranslateInOneBatchAsync(translator, [(Noise(1.0, seed: 5), working, new()), (Noise(1.0, seed: 6), broken, new())]);

        Assert.NotEmpty((await results[0]).TokenIds);
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => results[1]);
        Assert.Contains("decoder_cross.onnx lacks", error.Message, StringComparison.Ordinal);
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

    /// <summary>
    /// Sends <paramref name="requests"/> from threads released together, again until one encoder batch held them all:
    /// a request joins a batch only when it was announced before the batch ran, which depends on the threads' timing.
    /// </summary>
    private static async Task<IReadOnlyList<Task<TranslationResult>>> TranslateInOneBatchAsync(
        SpeechTranslator translator, (float[] Samples, AdapterWeights Adapter, TranslationDecodingOptions Decoding)[] requests)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var sizes = new ConcurrentQueue<int>();
            void Record(int size) => sizes.Enqueue(size);
            translator.BatchCompleted += Record;
            using var start = new Barrier(requests.Length);
            var tasks = requests.Select(r => Task.Factory.StartNew(
                () =>
                {
                    start.SignalAndWait();
                    return translator.TranslateAsync(r.Samples, r.Adapter, r.Decoding);
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default).Unwrap()).ToList();
            await Task.WhenAll(tasks.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));

            // The batch's size is reported just after its results are set.
            var reported = Task.Run(async () =>
            {
                while (sizes.Sum() < requests.Length)
                {
                    await Task.Delay(10);
                }
            });
            await reported.WaitAsync(TimeSpan.FromSeconds(10));
            translator.BatchCompleted -= Record;
            if (sizes.SequenceEqual([requests.Length]))
            {
                return tasks;
            }
        }

        throw new Xunit.Sdk.XunitException($"{requests.Length} requests sent together never ran in one batch in 10 attempts.");
    }

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
