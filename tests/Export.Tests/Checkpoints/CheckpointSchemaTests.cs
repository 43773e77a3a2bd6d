using SpeechServe.Export.Checkpoints;
using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Export.Tests.Checkpoints;

public class CheckpointSchemaTests
{
    private static readonly CheckpointSchema Schema = new(
    [
        new TensorSpec("layers.3.attn.q.weight", [192, 192]),
        new TensorSpec("layers.3.attn.q.bias", [192]),
        new TensorSpec("step", [], TensorDType.Int64),
    ]);

    [Fact]
    public void Validate_MatchingCheckpoint_HasNoProblems()
    {
        Assert.Empty(Schema.Validate(Map(Zeros("layers.3.attn.q.weight", 192, 192), Zeros("layers.3.attn.q.bias", 192), Step())));
    }

    [Fact]
    public void Validate_OrderDiffers_HasNoProblems()
    {
        Assert.Empty(Schema.Validate(Map(Step(), Zeros("layers.3.attn.q.bias", 192), Zeros("layers.3.attn.q.weight", 192, 192))));
    }

    [Fact]
    public void Validate_WrongShape_ReportsExpectedAndFound()
    {
        var problem = Assert.Single(Schema.Validate(
            Map(Zeros("layers.3.attn.q.weight", 192, 191), Zeros("layers.3.attn.q.bias", 192), Step())));

        Assert.Equal(SchemaProblemKind.Shape, problem.Kind);
        Assert.Equal("tensor 'layers.3.attn.q.weight': expected shape [192,192], found [192,191]", problem.Message);
    }

    [Fact]
    public void Validate_WrongDType_ReportsFoundAndExpected()
    {
        var bias = NamedTensor.FromValues("layers.3.attn.q.bias", TensorDType.Float64, [192], new double[192].AsSpan());

        var problem = Assert.Single(Schema.Validate(Map(Zeros("layers.3.attn.q.weight", 192, 192), bias, Step())));

        Assert.Equal(SchemaProblemKind.DType, problem.Kind);
        Assert.Equal("tensor 'layers.3.attn.q.bias': dtype Float64, expected Float32", problem.Message);
    }

    [Fact]
    public void Validate_MissingTensor_NamesItAndItsSpec()
    {
        var problem = Assert.Single(Schema.Validate(Map(Zeros("layers.3.attn.q.weight", 192, 192), Step())));

        Assert.Equal(SchemaProblemKind.Missing, problem.Kind);
        Assert.Equal("missing tensor 'layers.3.attn.q.bias' (expected Float32 [192])", problem.Message);
    }

    [Fact]
    public void Validate_ExtraTensor_IsUnexpected()
    {
        var problem = Assert.Single(Schema.Validate(Map(
            Zeros("layers.3.attn.q.weight", 192, 192), Zeros("layers.3.attn.q.bias", 192), Step(), Zeros("layers.3.attn.rel_pos", 7))));

        Assert.Equal(SchemaProblemKind.Unexpected, problem.Kind);
        Assert.Equal("unexpected tensor 'layers.3.attn.rel_pos' (Float32 [7])", problem.Message);
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsAllInSchemaThenCheckpointOrder()
    {
        var bias = NamedTensor.FromValues("layers.3.attn.q.bias", TensorDType.Float16, [3], new Half[3].AsSpan());

        var problems = Schema.Validate(Map(Zeros("extra", 1), bias));

        Assert.Equal(
            [
                (SchemaProblemKind.Missing, "layers.3.attn.q.weight"),
                (SchemaProblemKind.Shape, "layers.3.attn.q.bias"),
                (SchemaProblemKind.DType, "layers.3.attn.q.bias"),
                (SchemaProblemKind.Missing, "step"),
                (SchemaProblemKind.Unexpected, "extra"),
            ],
            problems.Select(p => (p.Kind, p.TensorName)));
        Assert.Equal(problems[0], Schema.FirstProblem(Map(Zeros("extra", 1), bias)));
    }

    [Fact]
    public void EnsureValid_Problems_ThrowsListingThemAll()
    {
        var ex = Assert.Throws<CheckpointSchemaException>(() => Schema.EnsureValid(Map(Zeros("extra", 1))));

        Assert.Equal(4, ex.Problems.Count);
        Assert.Contains("missing tensor 'step' (expected Int64 [])", ex.Message, StringComparison.Ordinal);
        Assert.Contains("unexpected tensor 'extra'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_DuplicateSpec_Throws()
    {
        Assert.Throws<ArgumentException>(() => new CheckpointSchema([new TensorSpec("a", [1]), new TensorSpec("a", [2])]));
    }

    [Fact]
    public void Parse_JsonList_BuildsSpecs()
    {
        var schema = CheckpointSchemaJson.Parse(
            """[{"name":"w","shape":[2,3],"dtype":"BF16"},{"name":"n","shape":[],"dtype":"Int64"},{"name":"b","shape":[3]}]""");

        Assert.Equal(["w: BFloat16 [2,3]", "n: Int64 []", "b: Float32 [3]"], schema.Specs.Select(s => s.ToString()));
    }

    [Theory]
    [InlineData("""{"name":"w"}""")]
    [InlineData("""[{"name":"w","shape":[-1]}]""")]
    [InlineData("""[{"name":"w","shape":[1],"dtype":"F99"}]""")]
    [InlineData("""[{"name":"w","shape":[1],"dtype":"6"}]""")]
    [InlineData("""[{"name":"w","shape":[1]},{"name":"w","shape":[1]}]""")]
    [InlineData("""[{"shape":[1]}]""")]
    [InlineData("[")]
    public void Parse_InvalidJson_ThrowsInvalidData(string json)
    {
        Assert.Throws<InvalidDataException>(() => CheckpointSchemaJson.Parse(json));
    }

    private static NamedTensor Zeros(string name, params long[] shape)
    {
        TensorShape.TryGetElementCount(shape, out var count);
        return NamedTensor.FromFloat32(name, shape, new float[count]);
    }

    private static NamedTensor Step() => NamedTensor.FromValues<long>("step", TensorDType.Int64, [], [1000]);

    private static TensorMap Map(params NamedTensor[] tensors) => new(tensors);
}
