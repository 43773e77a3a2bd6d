using System.Diagnostics;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Recognition;
using SpeechServe.Runtime.Tests.Fixtures;
using SpeechServe.Tests.Support;

namespace SpeechServe.Runtime.Tests.Recognition;

/// <summary><see cref="RecognitionTimings"/> alone, and as <see cref="SpeechRecognizer"/> fills it with the reference model of <c>models/</c>.</summary>
[Collection(OnnxTestGroup.Name)]
public sealed class RecognitionTimingsTests(OnnxFixture fixture)
{
    [Fact]
    public void Add_TwoCallsOfStages_EachStageTheSumOfItsIntervals()
    {
        var second = Stopwatch.Frequency;
        var timings = new RecognitionTimings();

        timings.AddFeatures(10, 10 + (second / 10));
        timings.AddBatch(queued: 0, started: second / 100, ended: second / 2);
        timings.AddDecoding(0, second / 4);
        timings.AddFeatures(0, second / 10);
        timings.AddBatch(queued: second, started: second + (second / 100), ended: 2 * second);
        timings.AddDecoding(second, second + (second / 4));

        Assert.Equal(2, timings.Recognitions);
        Assert.Equal(0.2, timings.Features.TotalSeconds, 6);
        Assert.Equal(0.02, timings.Queue.TotalSeconds, 6);
        Assert.Equal(0.49 + 0.99, timings.Encoder.TotalSeconds, 6);
        Assert.Equal(0.5, timings.Decoding.TotalSeconds, 6);
    }

    [Fact]
    public async Task TranscribeAsync_TwoCallsWithOneTimings_AddsEveryStageOfBoth()
    {
        using var model = SpeechModel.Load(Path.Combine(TrainingScripts.RepositoryRoot, "models", "speechfm-en-small"), fixture.Sessions);
        await using var recognizer = new SpeechRecognizer(model.Encoder, model.Vocabulary, new RecognitionOptions(), model.LexiconSearch);
        var random = new Random(1);
        var samples = Enumerable.Range(0, 32_000).Select(_ => (float)((random.NextDouble() * 0.2) - 0.1)).ToArray();
        var timings = new RecognitionTimings();

        await recognizer.TranscribeAsync(samples, model.BaseAdapter, timings: timings);
        var first = (timings.Features, timings.Queue, timings.Encoder, timings.Decoding);
        await recognizer.TranscribeAsync(samples, model.BaseAdapter, timings: timings);

        Assert.Equal(2, timings.Recognitions);
        Assert.All([first.Features, first.Encoder, first.Decoding], stage => Assert.True(stage > TimeSpan.Zero));
        Assert.True(timings.Features > first.Features && timings.Encoder > first.Encoder && timings.Decoding > first.Decoding);
        Assert.True(timings.Queue >= first.Queue);
    }
}
