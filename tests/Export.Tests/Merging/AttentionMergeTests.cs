using SpeechServe.Export.Merging;
using SpeechServe.Export.Repository;
using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Export.Tests.Merging;

public sealed class AttentionMergeTests
{
    private static readonly long[] Shape = [4];

    [Fact]
    public void Merge_OneThird_GivesTheTrainingRecipesFloat32Values()
    {
        // training/tests/test_attention_merge.py pins the same speech and text values and bit patterns.
        var speech = Tensors(("layers.0.attn.q.weight", [0.3f, -1.7f, -0f, 1e-3f]));
        var text = Tensors(("layers.0.attn.q.weight", [2.5f, 0.25f, 0.75f, -3f]));

        var merged = AttentionMerge.Merge(WithOtherProjections(speech), WithOtherProjections(text), 1.0 / 3, [0]);

        var bits = merged["layers.0.attn.q.weight"].AsSpan<float>().ToArray().Select(BitConverter.SingleToUInt32Bits);
        Assert.Equal([0x3F844445u, 0xBF866667u, 0x3E800000u, 0xBF7FD44Fu], bits);
    }

    [Fact]
    public void Merge_FactorZero_ReturnsTheBaseWeightsAndTheirHash()
    {
        var speech = WithOtherProjections(Tensors(("layers.0.attn.q.weight", [-0f, 1f, 2f, 3f])));

        var merged = AttentionMerge.Merge(speech, WithOtherProjections(TensorMap.Empty, 5f), 0, [0]);

        Assert.Same(speech, merged);
        Assert.Equal(BaseWeightsHash.Compute(speech), BaseWeightsHash.Compute(merged));
    }

    [Fact]
    public void Merge_TextTensorOfAnotherShape_IsRefusedNamingTheTensor()
    {
        var text = WithOtherProjections(Tensors(("layers.0.attn.v.bias", [1f, 2f])));

        var error = Assert.Throws<ExportException>(() => AttentionMerge.Merge(WithOtherProjections(TensorMap.Empty), text, 0.1, [0]));

        Assert.Equal("'layers.0.attn.v.bias': the text attention model's shape [2] differs from the encoder's [4].", error.Message);
    }

    [Fact]
    public void Merge_MissingTextTensor_IsRefusedNamingTheTensor()
    {
        var text = new TensorMap(WithOtherProjections(TensorMap.Empty).Where(t => t.Name != "layers.0.attn.k.weight"));

        var error = Assert.Throws<ExportException>(() => AttentionMerge.Merge(WithOtherProjections(TensorMap.Empty), text, 0.1, [0]));

        Assert.Contains("no tensor 'layers.0.attn.k.weight'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Merge_FactorOutsideZeroToOne_IsRefused(double factor)
    {
        var weights = WithOtherProjections(TensorMap.Empty);

        Assert.Throws<ExportException>(() => AttentionMerge.Merge(weights, weights, factor, [0]));
    }

    [Fact]
    public void ParseLayers_AllOrIndices_GivesSortedLayers()
    {
        Assert.Equal([0, 1, 2], AttentionMerge.ParseLayers("all", 3));
        Assert.Equal([0, 2], AttentionMerge.ParseLayers("2, 0", 3));
        Assert.Throws<ExportException>(() => AttentionMerge.ParseLayers("3", 3));
        Assert.Throws<ExportException>(() => AttentionMerge.ParseLayers("-1", 3));
        Assert.Throws<ExportException>(() => AttentionMerge.ParseLayers(",", 3));
    }

    private static TensorMap Tensors(params (string Name, float[] Values)[] tensors) =>
        new(tensors.Select(t => NamedTensor.FromFloat32(t.Name, [t.Values.Length], t.Values)));

    /// <summary>The merged tensors of layer 0 that <paramref name="given"/> lacks, filled with <paramref name="value"/>, plus an output projection.</summary>
    private static TensorMap WithOtherProjections(TensorMap given, float value = 1f) =>
        new([
            .. given,
            .. AttentionMerge.TensorNames([0]).Append("layers.0.attn.out.weight").Where(n => !given.Contains(n))
                .Select(n => NamedTensor.FromFloat32(n, Shape, [value, value, value, value])),
        ]);
}
