using SpeechServe.Export.Checkpoints;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Export.Tests.Checkpoints;

public class ReferenceCheckpointSchemaTests
{
    [Fact]
    public void For_Reference_ListsEveryDocumentedTensor()
    {
        var schema = ReferenceCheckpointSchema.For(EncoderArchitecture.Reference);

        // 6 front-end tensors; per layer 6 + 6 (two feed-forwards), 2 + 8 (attention), 10 (convolution), 2 (final norm); 2 for the CTC head.
        Assert.Equal(6 + (6 * 34) + 2, schema.Specs.Count);
        var byName = schema.Specs.ToDictionary(s => s.Name);
        Assert.Equal([192L, 80, 2], byName["subsample.conv1.weight"].Shape.ToArray());
        Assert.Equal([768L, 192], byName["layers.5.ff2.linear1.weight"].Shape.ToArray());
        Assert.Equal([384L, 192, 1], byName["layers.0.conv.pointwise1.weight"].Shape.ToArray());
        Assert.Equal([192L, 1, 15], byName["layers.0.conv.depthwise.weight"].Shape.ToArray());
        Assert.Equal([192L, 192], byName["layers.3.attn.out.weight"].Shape.ToArray());
        Assert.Equal([29L, 192], byName["ctc.weight"].Shape.ToArray());
        Assert.All(schema.Specs, s => Assert.Equal(TensorDType.Float32, s.DType));
    }

    [Fact]
    public void ForAdapter_Reference_MatchesDocumentedParameterFormula()
    {
        var schema = ReferenceCheckpointSchema.ForAdapter(EncoderArchitecture.Reference, "telephony");

        // docs/model.md: 6 x (192*16 + 16 + 16*192 + 192) + 29*192 + 29, which is 43,709
        // (the document's printed total, 43,613, does not match its own formula).
        Assert.Equal((6 * ((192 * 16) + 16 + (16 * 192) + 192)) + (29 * 192) + 29, schema.Specs.Sum(s => s.ElementCount));
        Assert.Equal(43_709, schema.Specs.Sum(s => s.ElementCount));
        Assert.All(schema.Specs, s => Assert.StartsWith("adapters.telephony.", s.Name, StringComparison.Ordinal));
        Assert.Equal([16L, 192], schema.Specs.Single(s => s.Name == "adapters.telephony.layers.0.down.weight").Shape.ToArray());
    }

    [Fact]
    public void ForAdapter_Reference_IsUnderOnePercentOfEncoder()
    {
        var encoder = ReferenceCheckpointSchema.For(EncoderArchitecture.Reference).Specs.Sum(s => s.ElementCount);
        var adapter = ReferenceCheckpointSchema.ForAdapter(EncoderArchitecture.Reference, "x").Specs.Sum(s => s.ElementCount);
        Assert.True(adapter * 100 < encoder, $"adapter {adapter}, encoder {encoder}");
    }

    [Theory]
    [InlineData(CheckpointFormat.Safetensors)]
    [InlineData(CheckpointFormat.TorchSharp)]
    public void For_ZeroCheckpointWrittenAndRead_Validates(CheckpointFormat format)
    {
        var schema = ReferenceCheckpointSchema.For(EncoderArchitecture.Reference, ["telephony", "far_field"]);
        var bytes = CheckpointReaderTests.Write(format, ZerosFor(schema));

        var checkpoint = CheckpointReader.Read(bytes);

        Assert.Empty(schema.Validate(checkpoint.Tensors));
        Assert.Equal(["telephony", "far_field"], ReferenceCheckpointSchema.AdapterDomainsIn(checkpoint.Tensors.Names));
    }

    [Fact]
    public void For_CheckpointWithUndeclaredAdapter_ReportsItsTensorsUnexpected()
    {
        var withAdapter = ReferenceCheckpointSchema.For(EncoderArchitecture.Reference, ["accent"]);
        var baseOnly = ReferenceCheckpointSchema.For(EncoderArchitecture.Reference);

        var problems = baseOnly.Validate(new TensorMap(ZerosFor(withAdapter)));

        Assert.Equal(6 * 4 + 2, problems.Count);
        Assert.All(problems, p => Assert.Equal(SchemaProblemKind.Unexpected, p.Kind));
    }

    [Fact]
    public void ForAdapter_DomainWithDot_Throws()
    {
        Assert.Throws<ArgumentException>(() => ReferenceCheckpointSchema.ForAdapter(EncoderArchitecture.Reference, "a.b"));
    }

    internal static List<NamedTensor> ZerosFor(CheckpointSchema schema) =>
        [.. schema.Specs.Select(s => new NamedTensor(s.Name, s.DType, s.Shape.AsSpan(), new byte[s.ElementCount * s.DType.ElementSize()]))];
}
