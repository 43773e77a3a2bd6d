using SpeechServe.Export.Repository;
using SpeechServe.Runtime.Encoder;
using SpeechServe.Runtime.Tensors;
using Xunit.Abstractions;

namespace SpeechServe.Export.Tests.Encoder;

/// <summary>
/// The exported encoder.onnx, run through our ONNX Runtime binding, against PyTorch's golden vectors
/// (training/dump_golden.py): a padded batch of two (base model and the medical adapter) in one call, and
/// a stream fed chunk by chunk with the caches carried between calls.
/// </summary>
[Collection(EncoderExportGroup.Name)]
public sealed class EncoderParityTests(EncoderExportFixture fixture, ITestOutputHelper output)
{
    /// <summary>docs/model.md: exported float32 graphs match the float64 golden vectors to this.</summary>
    private const double Tolerance = 1e-4;

    [Fact]
    public void Run_FullBatchBaseAndAdapter_MatchesGoldenVectors()
    {
        using var encoder = new EncoderRunner(Path.Combine(fixture.ModelDirectory, RepositoryLayout.Encoder));
        var golden = fixture.Golden;

        var actual = encoder.Run(EncoderRunner.GoldenInputs(golden, "encoder."));

        AssertClose("encoder.log_probs", actual.LogProbs);
        AssertClose("encoder.encoder_out", actual.EncoderOut);
        AssertClose("encoder.attn_cache_out", actual.AttentionCache);
        AssertClose("encoder.conv_cache_out", actual.ConvolutionCache);
        Assert.Equal(golden["encoder.output_lengths"].AsSpan<long>().ToArray(), actual.OutputLengths);
        Assert.Equal(golden["encoder.cache_len_out"].AsSpan<long>().ToArray(), actual.CacheLength);
    }

    [Fact]
    public void Run_StreamChunkByChunkWithCarriedCaches_MatchesGoldenVectors()
    {
        using var encoder = new EncoderRunner(Path.Combine(fixture.ModelDirectory, RepositoryLayout.Encoder));
        var golden = fixture.Golden;
        var a = EncoderExportFixture.Architecture;
        var features = golden["streaming.features"].AsSpan<float>().ToArray();
        var chunk = (int)golden["streaming.chunk_feature_frames"].AsSpan<long>()[0];
        var frames = features.Length / a.NMels;
        var inputs = EncoderRunner.GoldenInputs(golden, "streaming.");
        var attention = new float[a.NumLayers * a.LeftContextFrames * a.DModel];
        var convolution = new float[a.NumLayers * a.DModel * (a.ConvKernel - 1)];
        long[] cacheLength = [0];
        var logProbs = new List<float>();
        var encoderOut = new List<float>();

        for (var start = 0; start < frames; start += chunk)
        {
            inputs[EncoderGraphNames.Features] = NamedTensor.FromFloat32("f", [1, chunk, a.NMels], features.AsSpan(start * a.NMels, chunk * a.NMels));
            inputs[EncoderGraphNames.FeatureLengths] = NamedTensor.FromValues<long>("l", TensorDType.Int64, [1], [chunk]);
            inputs[EncoderGraphNames.AttentionCache] = NamedTensor.FromFloat32("a", [a.NumLayers, 1, a.LeftContextFrames, a.DModel], attention);
            inputs[EncoderGraphNames.CacheLength] = NamedTensor.FromValues<long>("c", TensorDType.Int64, [1], cacheLength);
            inputs[EncoderGraphNames.ConvolutionCache] = NamedTensor.FromFloat32("v", [a.NumLayers, 1, a.DModel, a.ConvKernel - 1], convolution);

            var step = encoder.Run(inputs);

            logProbs.AddRange(step.LogProbs);
            encoderOut.AddRange(step.EncoderOut);
            (attention, convolution, cacheLength) = (step.AttentionCache, step.ConvolutionCache, step.CacheLength);
        }

        AssertClose("streaming.log_probs", [.. logProbs]);
        AssertClose("streaming.encoder_out", [.. encoderOut]);
        AssertClose("streaming.attn_cache_out", attention);
        AssertClose("streaming.conv_cache_out", convolution);
        Assert.Equal(golden["streaming.cache_len_out"].AsSpan<long>().ToArray(), cacheLength);
    }

    private void AssertClose(string goldenName, float[] actual)
    {
        var diff = EncoderRunner.MaxAbsDiff(fixture.Golden[goldenName].AsSpan<float>(), actual);
        output.WriteLine($"{goldenName}: max abs diff {diff:E2}");
        Assert.True(diff <= Tolerance, $"{goldenName}: max abs diff {diff:E3} exceeds {Tolerance:E0}");
    }
}
