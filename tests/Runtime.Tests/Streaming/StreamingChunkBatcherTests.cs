using SpeechServe.Runtime.Audio;
using SpeechServe.Runtime.Batching;
using SpeechServe.Runtime.Encoder;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Streaming;
using SpeechServe.Runtime.Tests.Fixtures;
using SpeechServe.Tests.Support;

namespace SpeechServe.Runtime.Tests.Streaming;

/// <summary>
/// <see cref="StreamingChunkBatcher"/> over the reference model shipped in <c>models/</c>: chunks of several streams
/// in one encoder call give what each stream's own calls give.
/// </summary>
[Collection(OnnxTestGroup.Name)]
public sealed class StreamingChunkBatcherTests(OnnxFixture fixture) : IDisposable
{
    private const float Tolerance = 1e-4f;
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "speechserve-chunk-batcher-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Run_ChunksOfStreamsWithDifferentAdaptersAndLengths_EachEqualsItsOwnCall()
    {
        using var model = LoadModel();
        var encoder = model.Encoder;
        var architecture = encoder.Architecture;
        var chunkFrames = architecture.ChunkFeatureFrames;
        var adapters = new[] { model.BaseAdapter, RandomAdapter(model, seed: 1), RandomAdapter(model, seed: 2) };
        var batcher = new StreamingChunkBatcher(encoder, new BatchingOptions());
        var batchedStates = adapters.Select(_ => EncoderState.Empty(architecture, 1)).ToArray();
        var aloneStates = adapters.Select(_ => EncoderState.Empty(architecture, 1)).ToArray();
        var random = new Random(7);

        // Three whole chunks per stream (the caches fill past the left context), then a last step in which the third
        // stream ends with a shorter chunk while the others go on.
        for (var step = 0; step < 4; step++)
        {
            var chunks = adapters.Select((adapter, s) =>
            {
                var (frames, valid) = step == 3 && s == 2 ? (20, 18) : (chunkFrames, chunkFrames);
                return new EncoderChunk(RandomFeatures(random, frames, valid, architecture.NMels), frames, valid, batchedStates[s], adapter);
            }).ToList();

            var batched = batcher.Run(chunks);

            for (var s = 0; s < chunks.Count; s++)
            {
                var alone = encoder.Run(chunks[s].Features, chunks[s].Frames, [chunks[s].ValidFrames], aloneStates[s], [chunks[s].Adapter]);
                Assert.Equal(alone.OutputLengths, batched[s].OutputLengths);
                AssertClose(Valid(alone, architecture), Valid(batched[s], architecture));
                var (aloneState, batchedState) = (Assert.IsType<EncoderState>(alone.State), Assert.IsType<EncoderState>(batched[s].State));
                AssertClose(aloneState.AttentionCache, batchedState.AttentionCache);
                AssertClose(aloneState.ConvolutionCache, batchedState.ConvolutionCache);
                Assert.Equal(aloneState.CacheLength, batchedState.CacheLength);
                (aloneStates[s], batchedStates[s]) = (aloneState, batchedState);
            }
        }
    }

    [Fact]
    public async Task AcceptAsync_ConcurrentStreamsSharingBatches_SameResultsAsEachStreamAlone()
    {
        using var model = LoadModel();
        var adapters = new[] { model.BaseAdapter, RandomAdapter(model, seed: 3), model.BaseAdapter, RandomAdapter(model, seed: 4) };
        var clips = adapters.Select((_, i) => Speech(i)).ToList();
        var alone = new StreamingRecognizer(model.Encoder, model.Vocabulary, lexiconSearch: model.LexiconSearch);
        var expected = clips.Select((clip, i) => RunAlone(alone.Open(adapters[i], clip.Format.SampleRate), clip.Samples)).ToList();

        await using var batcher = new StreamingChunkBatcher(model.Encoder, new BatchingOptions { MaxBatchSize = 4, MaxWait = TimeSpan.FromMilliseconds(20) });
        var sizes = new List<int>();
        batcher.BatchCompleted += size => { lock (sizes) { sizes.Add(size); } };
        var batched = new StreamingRecognizer(model.Encoder, model.Vocabulary, lexiconSearch: model.LexiconSearch, batcher: batcher);
        var sessions = clips.Select((clip, i) => batched.Open(adapters[i], clip.Format.SampleRate)).ToList();
        var actual = sessions.Select(_ => new List<StreamingResult>()).ToList();

        // The streams advance in step, 100 ms of audio at a time, so their chunks complete together.
        var pieces = clips.Select(c => c.Format.SampleRate / 10).ToList();
        for (var piece = 0; clips.Select((c, i) => piece * pieces[i] < c.Samples.Length).Any(more => more); piece++)
        {
            var step = piece;
            var results = await Task.WhenAll(sessions.Select((session, i) =>
            {
                var start = step * pieces[i];
                return start < clips[i].Samples.Length
                    ? session.AcceptAsync(clips[i].Samples.AsMemory(start, Math.Min(pieces[i], clips[i].Samples.Length - start)))
                    : Task.FromResult<IReadOnlyList<StreamingResult>>([]);
            }));
            for (var i = 0; i < results.Length; i++)
            {
                actual[i].AddRange(results[i]);
            }
        }

        var last = await Task.WhenAll(sessions.Select(s => s.FinishAsync()));
        for (var i = 0; i < sessions.Count; i++)
        {
            actual[i].AddRange(last[i]);
            Assert.Equal(Describe(expected[i]), Describe(actual[i]));
            Assert.Contains(actual[i], r => r is { Kind: StreamingResultKind.Final, Text.Length: > 0 });
        }

        Assert.True(sizes.Max() > 1, $"no batch held more than one stream's chunk ({sizes.Count} batches)");
        Assert.Equal(sessions.Sum(s => s.ChunksEncoded), sizes.Sum());
    }

    public void Dispose()
    {
        if (Directory.Exists(_scratch))
        {
            Directory.Delete(_scratch, recursive: true);
        }
    }

    private SpeechModel LoadModel() =>
        SpeechModel.Load(Path.Combine(TrainingScripts.RepositoryRoot, "models", "speechfm-en-small"), fixture.Sessions);

    private WavAudio Speech(int index)
    {
        var path = Path.Combine(_scratch, $"speech-{index}.wav");
        var sentences = SpokenDataset.Sentences;
        SpokenDataset.Speak(path, $"{sentences[index % sentences.Count]}, {sentences[(index + 3) % sentences.Count]}");
        return WavParser.Parse(File.ReadAllBytes(path));
    }

    private static List<StreamingResult> RunAlone(StreamingSession session, float[] samples)
    {
        var piece = session.SampleRate / 10;
        var results = new List<StreamingResult>();
        for (var start = 0; start < samples.Length; start += piece)
        {
            results.AddRange(session.Accept(samples.AsSpan(start, Math.Min(piece, samples.Length - start))));
        }

        results.AddRange(session.Finish());
        return results;
    }

    private static List<string> Describe(IEnumerable<StreamingResult> results) =>
        results.Select(r => $"{r.Kind} {r.Segment} [{r.Start:F2}, {r.End:F2}] '{r.Text}' {string.Join(',', r.Tokens.Select(t => $"{t.Id}@{t.StartFrame}"))}").ToList();

    private static float[] Valid(EncoderStepResult step, EncoderArchitecture architecture) =>
        step.LogProbabilities.AsSpan(0, (int)step.OutputLengths[0] * architecture.VocabSize).ToArray();

    private static float[] RandomFeatures(Random random, int frames, int valid, int mels)
    {
        var features = new float[frames * mels];
        for (var i = 0; i < valid * mels; i++)
        {
            features[i] = (float)((random.NextDouble() * 8) - 6);
        }

        return features;
    }

    /// <summary>A domain adapter with random weights: non-zero up-projections, so it changes the encoder's output.</summary>
    private static AdapterWeights RandomAdapter(SpeechModel model, int seed)
    {
        var architecture = model.Encoder.Architecture;
        var random = new Random(seed);
        float[] Values(int length) => Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() - 0.5) * 0.2)).ToArray();
        var (n, d, r) = (architecture.NumLayers, architecture.DModel, architecture.AdapterDim);
        return AdapterWeights.Create(
            architecture, Values(n * d * r), Values(n * r), Values(n * r * d), Values(n * d), model.BaseAdapter.Head.ToArray(), model.BaseAdapter.HeadBias.ToArray());
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var difference = expected.Zip(actual, (e, a) => Math.Abs(e - a)).DefaultIfEmpty(0).Max();
        Assert.True(difference <= Tolerance, $"max abs difference {difference:E3} exceeds {Tolerance:E0}");
    }
}
