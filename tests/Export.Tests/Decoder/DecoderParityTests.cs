using System.Globalization;
using SpeechServe.Export.Tests.Encoder;
using SpeechServe.Runtime.Tensors;
using Xunit.Abstractions;

namespace SpeechServe.Export.Tests.Decoder;

/// <summary>
/// The exported decoder graphs, run through our ONNX Runtime binding, against PyTorch's float64 golden
/// vectors (training/dump_decoder_golden.py): the cross keys and values, a full-prefix step on an empty
/// cache, the same prefix fed one token per step on the cache, and greedy decoding.
/// </summary>
[Collection(DecoderExportGroup.Name)]
public sealed class DecoderParityTests(DecoderExportFixture fixture, ITestOutputHelper output)
{
    /// <summary>docs/model.md: exported float32 graphs match the float64 golden vectors to this.</summary>
    private const double Tolerance = 1e-4;

    private TensorMap Golden => fixture.Golden.Tensors;

    [Fact]
    public void Cross_EncoderOutput_MatchesGoldenKeysAndValues()
    {
        using var decoder = Open();

        var (key, value) = decoder.Cross(Golden["encoder_out"]);

        AssertClose("cross.cross_key", key);
        AssertClose("cross.cross_value", value);
    }

    [Fact]
    public void Step_FullPrefixOnEmptyCache_MatchesGoldenLogitsAndCache()
    {
        using var decoder = Open();

        var result = decoder.Step(Golden["prefix.tokens"], EmptyCache(), decoder.Cross(Golden["encoder_out"]), Golden["encoder_lengths"]);

        AssertClose("prefix.logits", result.Logits);
        AssertClose("prefix.present_key", result.PresentKey);
        AssertClose("prefix.present_value", result.PresentValue);
    }

    [Fact]
    public void Step_OneTokenPerCallOnTheCache_MatchesGoldenStepsAndTheFullPrefixPass()
    {
        using var decoder = Open();
        var cross = decoder.Cross(Golden["encoder_out"]);
        var lengths = Golden["encoder_lengths"];
        var prefix = decoder.Step(Golden["prefix.tokens"], EmptyCache(), cross, lengths);
        var (steps, past) = (new List<NamedTensor>(), EmptyCache());

        foreach (var token in Columns(Golden["prefix.tokens"]))
        {
            var result = decoder.Step(token, past, cross, lengths);
            steps.Add(result.Logits);
            past = (result.PresentKey, result.PresentValue);
        }

        AssertClose("steps.logits", steps);
        AssertClose("steps.present_key", past.Key);
        AssertClose("steps.present_value", past.Value);
        var vocabulary = fixture.Decoder.Architecture.VocabSize;
        var fromSteps = Transpose(steps, vocabulary);
        var noCache = EncoderRunner.MaxAbsDiff(prefix.Logits.AsSpan<float>(), fromSteps);
        output.WriteLine($"cached steps vs full-prefix pass: max abs diff {noCache:E2}");
        Assert.True(noCache <= Tolerance, $"cached steps differ from the full-prefix pass by {noCache:E3}");
    }

    [Fact]
    public void Greedy_ThroughTheCachedGraphs_GivesTheGoldenIds()
    {
        using var decoder = Open();
        var maxTokens = int.Parse(fixture.Golden.Metadata["greedy_max_tokens"], CultureInfo.InvariantCulture);
        var golden = Golden["greedy.ids"];
        var width = (int)golden.Shape[1];
        var expected = Enumerable.Range(0, (int)golden.Shape[0])
            .Select(b => golden.AsSpan<long>().Slice(b * width, width).ToArray().Where(id => id >= 0).ToList())
            .ToList();

        var actual = decoder.Greedy(fixture.Decoder.Architecture, Golden["encoder_out"], Golden["encoder_lengths"], maxTokens);

        output.WriteLine($"greedy path min logit margin (PyTorch): {Golden["greedy.min_margin"].AsSpan<float>()[0]:E2}");
        Assert.Equal(expected, actual);
    }

    private DecoderRunner Open() => new(fixture.CrossGraphPath, fixture.StepGraphPath);

    private (NamedTensor Key, NamedTensor Value) EmptyCache()
    {
        var empty = DecoderRunner.EmptyCache(fixture.Decoder.Architecture, 2);
        return (empty, empty);
    }

    /// <summary>Each column of <c>[B, S]</c> tokens as its own <c>[B, 1]</c> tensor.</summary>
    private static IEnumerable<NamedTensor> Columns(NamedTensor tokens)
    {
        var (batch, length) = ((int)tokens.Shape[0], (int)tokens.Shape[1]);
        var all = tokens.AsSpan<long>().ToArray();
        for (var s = 0; s < length; s++)
        {
            var column = Enumerable.Range(0, batch).Select(b => all[(b * length) + s]).ToArray();
            yield return NamedTensor.FromValues<long>("tokens", TensorDType.Int64, [batch, 1], column);
        }
    }

    /// <summary>Per-step logits <c>S x [B, 1, V]</c> rearranged as one <c>[B, S, V]</c> array.</summary>
    private static float[] Transpose(List<NamedTensor> steps, int vocabulary)
    {
        var batch = (int)steps[0].Shape[0];
        var result = new float[batch * steps.Count * vocabulary];
        for (var s = 0; s < steps.Count; s++)
        {
            for (var b = 0; b < batch; b++)
            {
                steps[s].AsSpan<float>().Slice(b * vocabulary, vocabulary).CopyTo(result.AsSpan(((b * steps.Count) + s) * vocabulary));
            }
        }

        return result;
    }

    private void AssertClose(string goldenName, NamedTensor actual)
    {
        Assert.Equal(Golden[goldenName].Shape.ToArray(), actual.Shape.ToArray());
        AssertClose(goldenName, actual.AsSpan<float>().ToArray());
    }

    private void AssertClose(string goldenName, List<NamedTensor> actual) =>
        AssertClose(goldenName, [.. actual.SelectMany(t => t.AsSpan<float>().ToArray())]);

    private void AssertClose(string goldenName, float[] actual)
    {
        var diff = EncoderRunner.MaxAbsDiff(Golden[goldenName].AsSpan<float>(), actual);
        output.WriteLine($"{goldenName}: max abs diff {diff:E2}");
        Assert.True(diff <= Tolerance, $"{goldenName}: max abs diff {diff:E3} exceeds {Tolerance:E0}");
    }
}
