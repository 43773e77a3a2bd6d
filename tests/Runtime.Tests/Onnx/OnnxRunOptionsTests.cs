using SpeechServe.Runtime.Onnx;
using SpeechServe.Runtime.Tests.Fixtures;

namespace SpeechServe.Runtime.Tests.Onnx;

[Collection(OnnxTestGroup.Name)]
public sealed class OnnxRunOptionsTests(OnnxFixture fixture)
{
    [Fact]
    public void Tag_SetAtCreation_IsReadBackFromTheRuntime()
    {
        using var options = new OnnxRunOptions("request-42", OnnxLogLevel.Error);

        Assert.Equal("request-42", options.Tag);
    }

    [Fact]
    public void Run_WithTaggedOptions_ComputesNormally()
    {
        using var session = fixture.Environment.CreateSession(fixture.Models.Scale);
        using var options = new OnnxRunOptions("tagged");
        using var input = OnnxTensor.Create(new float[] { 3 }, 1);

        using var results = session.Run(["x"], [input], ["y"], options);

        Assert.Equal([6f], results[0].ToArray<float>());
    }

    [Fact]
    public void Run_AfterTerminate_FailsUntilResetThenSucceeds()
    {
        using var session = fixture.Environment.CreateSession(fixture.Models.Scale);
        using var options = new OnnxRunOptions();
        using var input = OnnxTensor.Create(new float[] { 3 }, 1);

        options.Terminate();
        var error = Assert.Throws<OnnxRuntimeException>(() => session.Run(["x"], [input], ["y"], options));
        options.ResetTerminate();
        using var results = session.Run(["x"], [input], ["y"], options);

        Assert.Contains("terminate", error.RuntimeMessage, StringComparison.OrdinalIgnoreCase);
        Assert.Equal([6f], results[0].ToArray<float>());
    }

    [Fact]
    public void Dispose_CalledTwice_DoesNotThrow()
    {
        var options = new OnnxRunOptions("x");

        options.Dispose();
        options.Dispose();

        Assert.Throws<ObjectDisposedException>(() => options.Terminate());
    }
}
