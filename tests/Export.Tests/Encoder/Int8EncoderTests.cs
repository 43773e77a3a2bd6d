using SpeechServe.Export.Repository;
using Xunit.Abstractions;

namespace SpeechServe.Export.Tests.Encoder;

/// <summary>encoder.int8.onnx against the float32 encoder and the golden vectors, within the tolerance docs/model.md states.</summary>
[Collection(EncoderExportGroup.Name)]
public sealed class Int8EncoderTests(EncoderExportFixture fixture, ITestOutputHelper output)
{
    /// <summary>docs/model.md ("Int8 encoder"): largest absolute log-probability difference allowed against float32.</summary>
    public const double MaxLogProbDiff = 0.25;

    /// <summary>docs/model.md: smallest share of valid frames whose best token must agree with float32.</summary>
    public const double MinArgmaxAgreement = 0.95;

    [Fact]
    public void Run_FullBatch_LogProbsWithinDocumentedTolerance()
    {
        var inputs = EncoderRunner.GoldenInputs(fixture.Golden, "encoder.");
        using var fp32 = new EncoderRunner(Path.Combine(fixture.ModelDirectory, RepositoryLayout.Encoder));
        using var int8 = new EncoderRunner(Path.Combine(fixture.ModelDirectory, RepositoryLayout.EncoderInt8));

        var expected = fp32.Run(inputs);
        var actual = int8.Run(inputs);

        var diff = EncoderRunner.MaxAbsDiff(expected.LogProbs, actual.LogProbs);
        var agreement = ArgmaxAgreement(expected.LogProbs, actual.LogProbs, expected.OutputLengths, EncoderExportFixture.Architecture.VocabSize);
        var goldenDiff = EncoderRunner.MaxAbsDiff(fixture.Golden["encoder.log_probs"].AsSpan<float>(), actual.LogProbs);
        output.WriteLine($"int8 vs fp32: max abs log-prob diff {diff:F4}, argmax agreement {agreement:P1}; vs golden {goldenDiff:F4}");
        Assert.True(diff <= MaxLogProbDiff, $"max abs log-prob diff {diff:F4} exceeds {MaxLogProbDiff}");
        Assert.True(agreement >= MinArgmaxAgreement, $"argmax agreement {agreement:P1} below {MinArgmaxAgreement:P0}");
        Assert.Equal(expected.OutputLengths, actual.OutputLengths);
        Assert.Equal(expected.CacheLength, actual.CacheLength);
    }

    private static double ArgmaxAgreement(float[] expected, float[] actual, long[] lengths, int vocab)
    {
        var frames = expected.Length / vocab / lengths.Length;
        int same = 0, total = 0;
        for (var b = 0; b < lengths.Length; b++)
        {
            for (var t = 0; t < lengths[b]; t++)
            {
                var offset = ((b * frames) + t) * vocab;
                same += ArgMax(expected.AsSpan(offset, vocab)) == ArgMax(actual.AsSpan(offset, vocab)) ? 1 : 0;
                total++;
            }
        }

        return (double)same / total;
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            best = values[i] > values[best] ? i : best;
        }

        return best;
    }
}
