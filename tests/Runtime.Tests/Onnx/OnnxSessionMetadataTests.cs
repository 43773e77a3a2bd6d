using SpeechServe.Runtime.Onnx;
using SpeechServe.Runtime.Tests.Fixtures;

namespace SpeechServe.Runtime.Tests.Onnx;

[Collection(OnnxTestGroup.Name)]
public sealed class OnnxSessionMetadataTests(OnnxFixture fixture)
{
    [Fact]
    public void Inputs_AddMatMul_ReportNamesTypesAndSymbolicBatch()
    {
        using var session = fixture.Environment.CreateSession(fixture.Models.AddMatMul);

        Assert.Equal(["a", "b"], session.Inputs.Select(i => i.Name));
        var a = session.Inputs[0];
        Assert.Equal(OnnxValueType.Tensor, a.ValueType);
        Assert.Equal(TensorElementType.Float, a.ElementType);
        Assert.Equal([-1L, 4L], a.Shape);
        Assert.Equal(["batch", ""], a.SymbolicDimensions);
        Assert.Equal("a: Float[batch,4]", a.ToString());
    }

    [Fact]
    public void Outputs_AddMatMul_ReportDeclarationOrderAndShapes()
    {
        using var session = fixture.Environment.CreateSession(fixture.Models.AddMatMul);

        Assert.Equal(["y", "sum"], session.Outputs.Select(o => o.Name));
        Assert.Equal([-1L, 3L], session.Outputs[0].Shape);
        Assert.Equal(["batch", ""], session.Outputs[0].SymbolicDimensions);
    }

    [Fact]
    public void Inputs_Softmax_ReportEverySymbolicDimension()
    {
        using var session = fixture.Environment.CreateSession(fixture.Models.Softmax);

        Assert.Equal(["batch", "frames", ""], session.Inputs[0].SymbolicDimensions);
        Assert.Equal([-1L, -1L, 5L], session.Inputs[0].Shape);
    }

    [Fact]
    public void Inputs_Dtypes_ReportEachElementType()
    {
        using var session = fixture.Environment.CreateSession(fixture.Models.Dtypes);

        Assert.Equal(
            [TensorElementType.Int64, TensorElementType.Int32, TensorElementType.Int8, TensorElementType.UInt8, TensorElementType.Bool],
            session.Inputs.Select(i => i.ElementType));
        Assert.Equal(session.Inputs.Select(i => i.ElementType), session.Outputs.Select(o => o.ElementType));
    }

    [Fact]
    public void CreateSession_FromBytes_MatchesSessionFromPath()
    {
        var bytes = File.ReadAllBytes(fixture.Models.AddMatMul);

        using var fromBytes = fixture.Environment.CreateSession(bytes);
        using var fromPath = fixture.Environment.CreateSession(fixture.Models.AddMatMul);

        Assert.Equal(fromPath.Inputs.Select(i => i.ToString()), fromBytes.Inputs.Select(i => i.ToString()));
        Assert.Equal(fromPath.Outputs.Select(o => o.ToString()), fromBytes.Outputs.Select(o => o.ToString()));
        Assert.Equal(OnnxExecutionProvider.Cpu, fromBytes.ExecutionProvider);
    }

    [Fact]
    public void Dispose_CalledTwice_DoesNotThrow()
    {
        var session = fixture.Environment.CreateSession(fixture.Models.Scale);

        session.Dispose();
        session.Dispose();
    }
}
