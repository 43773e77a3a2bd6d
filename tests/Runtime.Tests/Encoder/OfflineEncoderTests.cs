using SpeechServe.Runtime.Encoder;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Tests.Fixtures;
using SpeechServe.Tests.Support;

namespace SpeechServe.Runtime.Tests.Encoder;

/// <summary><see cref="OfflineEncoder"/> over the reference model shipped in <c>models/</c>.</summary>
[Collection(OnnxTestGroup.Name)]
public sealed class OfflineEncoderTests(OnnxFixture fixture)
{
    private const int WindowChunks = 2;
    private const float Tolerance = 1e-4f;

    [Fact]
    public void Encode_BatchWhoseShortUtteranceEndsWindowsBeforeTheLongOne_EachEqualsItsEncodingAlone()
    {
        using var model = LoadModel();
        var encoder = new OfflineEncoder(model.Encoder, WindowChunks);
        var window = WindowChunks * model.Encoder.Architecture.ChunkFeatureFrames;

        // The long utterance runs into a third window; the short one ends inside the first.
        var longRequest = Request(model, frames: (2 * window) + 20, seed: 1);
        var shortRequest = Request(model, frames: window / 2, seed: 2);

        var batched = encoder.Encode([longRequest, shortRequest]);

        AssertClose(encoder.Encode([longRequest])[0], batched[0]);
        AssertClose(encoder.Encode([shortRequest])[0], batched[1]);
    }

    [Fact]
    public void Encode_LoneUtteranceOverSeveralWindows_EqualsOneCallOverItAll()
    {
        using var model = LoadModel();
        var windowed = new OfflineEncoder(model.Encoder, WindowChunks);
        var whole = new OfflineEncoder(model.Encoder, windowChunks: 64);
        var request = Request(model, frames: (3 * WindowChunks * model.Encoder.Architecture.ChunkFeatureFrames) + 10, seed: 3);

        AssertClose(whole.Encode([request])[0], windowed.Encode([request])[0]);
    }

    [Fact]
    public void Encode_SameBatchAfterAnotherOnPooledBuffers_GivesTheSameOutputs()
    {
        using var model = LoadModel();
        var encoder = new OfflineEncoder(model.Encoder, WindowChunks);
        var window = WindowChunks * model.Encoder.Architecture.ChunkFeatureFrames;
        EncoderRequest[] batch = [Request(model, frames: window + 12, seed: 4), Request(model, frames: window / 4, seed: 5)];

        var first = encoder.Encode(batch);
        encoder.Encode([Request(model, frames: 2 * window, seed: 6), Request(model, frames: 2 * window, seed: 7), Request(model, frames: window, seed: 8)]);
        var again = encoder.Encode(batch);

        Assert.Equal(first[0], again[0]);
        Assert.Equal(first[1], again[1]);
    }

    private SpeechModel LoadModel() => SpeechModel.Load(Path.Combine(TrainingScripts.RepositoryRoot, "models", "speechfm-en-small"), fixture.Sessions);

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var difference = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(difference <= Tolerance, $"max abs difference {difference:E3} exceeds {Tolerance:E0}");
    }

    private static EncoderRequest Request(SpeechModel model, int frames, int seed)
    {
        var random = new Random(seed);
        var features = new float[frames * model.Encoder.Architecture.NMels];
        for (var i = 0; i < features.Length; i++)
        {
            features[i] = (float)((random.NextDouble() * 8) - 6);
        }

        return new EncoderRequest(features, frames, model.BaseAdapter);
    }
}
