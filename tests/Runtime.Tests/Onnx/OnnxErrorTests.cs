using SpeechServe.Runtime.Onnx;
using SpeechServe.Runtime.Tests.Fixtures;

namespace SpeechServe.Runtime.Tests.Onnx;

/// <summary>ONNX Runtime's failures surface as <see cref="OnnxRuntimeException"/> and leave the process usable.</summary>
[Collection(OnnxTestGroup.Name)]
public sealed class OnnxErrorTests(OnnxFixture fixture)
{
    [Fact]
    public void CreateSession_BytesThatAreNotAModel_ThrowsInvalidProtobufThenGoodRunSucceeds()
    {
        byte[] garbage = [0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04, 0xff, 0xfe];

        var error = Assert.Throws<OnnxRuntimeException>(() => fixture.Environment.CreateSession(garbage));

        Assert.Equal(OrtErrorCode.InvalidProtobuf, error.ErrorCode);
        Assert.Contains("protobuf parsing failed", error.RuntimeMessage, StringComparison.OrdinalIgnoreCase);
        AssertGoodRunSucceeds();
    }

    [Fact]
    public void CreateSession_MissingFile_ThrowsWithRuntimeMessage()
    {
        var missing = Path.Combine(fixture.Models.Directory, "missing.onnx");

        var error = Assert.Throws<OnnxRuntimeException>(() => fixture.Environment.CreateSession(missing));

        Assert.Equal(OrtErrorCode.NoSuchFile, error.ErrorCode);
        Assert.Contains("missing.onnx", error.RuntimeMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_UnknownInputName_ThrowsInvalidArgumentNamingItThenGoodRunSucceeds()
    {
        using var session = fixture.Environment.CreateSession(fixture.Models.Scale);
        using var input = OnnxTensor.Create(new float[] { 1, 2 }, 2);

        var error = Assert.Throws<OnnxRuntimeException>(() => session.Run(["not_x"], [input], ["y"]));

        Assert.Equal(OrtErrorCode.InvalidArgument, error.ErrorCode);
        Assert.Contains("Invalid input name: not_x", error.RuntimeMessage, StringComparison.Ordinal);
        AssertGoodRunSucceeds(session);
    }

    [Fact]
    public void Run_UnknownOutputName_ThrowsInvalidArgument()
    {
        using var session = fixture.Environment.CreateSession(fixture.Models.Scale);
        using var input = OnnxTensor.Create(new float[] { 1, 2 }, 2);

        var error = Assert.Throws<OnnxRuntimeException>(() => session.Run(["x"], [input], ["not_y"]));

        Assert.Equal(OrtErrorCode.InvalidArgument, error.ErrorCode);
        Assert.Contains("not_y", error.RuntimeMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_WrongInputShape_ThrowsInvalidArgumentDescribingDimensionsThenGoodRunSucceeds()
    {
        using var session = fixture.Environment.CreateSession(fixture.Models.AddMatMul);
        using var a = OnnxTensor.Create(new float[6], 2, 3);
        using var b = OnnxTensor.Create(new float[6], 2, 3);

        var error = Assert.Throws<OnnxRuntimeException>(() => session.Run(["a", "b"], [a, b], ["y"]));

        Assert.Equal(OrtErrorCode.InvalidArgument, error.ErrorCode);
        Assert.Contains("Got invalid dimensions for input", error.RuntimeMessage, StringComparison.Ordinal);
        AssertGoodRunSucceeds();
    }

    [Fact]
    public void Run_WrongElementType_ThrowsInvalidArgument()
    {
        using var session = fixture.Environment.CreateSession(fixture.Models.Scale);
        using var input = OnnxTensor.Create(new long[] { 1, 2 }, 2);

        var error = Assert.Throws<OnnxRuntimeException>(() => session.Run(["x"], [input]));

        Assert.Equal(OrtErrorCode.InvalidArgument, error.ErrorCode);
        Assert.Contains("Unexpected input data type", error.RuntimeMessage, StringComparison.Ordinal);
    }

    private void AssertGoodRunSucceeds(OnnxSession? session = null)
    {
        using var owned = session is null ? fixture.Environment.CreateSession(fixture.Models.Scale) : null;
        var target = session ?? owned!;
        using var input = OnnxTensor.Create(new float[] { 1, -3 }, 2);
        using var results = target.Run(["x"], [input], ["y"]);
        Assert.Equal([2f, -6f], results[0].ToArray<float>());
    }
}
