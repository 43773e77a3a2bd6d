using SpeechServe.Runtime.Onnx;
using SpeechServe.Runtime.Tests.Fixtures;

namespace SpeechServe.Runtime.Tests.Onnx;

[Collection(OnnxTestGroup.Name)]
public sealed class OnnxIoBindingTests(OnnxFixture fixture)
{
    [Fact]
    public void Run_BoundInputsAndCpuOutputs_MatchPlainRun()
    {
        using var session = fixture.Environment.CreateSession(fixture.Models.AddMatMul);
        var a = Enumerable.Range(0, 8).Select(i => (i * 0.3f) - 1).ToArray();
        var b = Enumerable.Range(0, 8).Select(i => MathF.Cos(i)).ToArray();
        using var ta = OnnxTensor.Create(a, 2, 4);
        using var tb = OnnxTensor.Create(b, 2, 4);
        using var plain = session.Run(["a", "b"], [ta, tb], ["y", "sum"]);
        using var binding = session.CreateIoBinding();

        binding.BindInput("a", ta);
        binding.BindInput("b", tb);
        binding.BindOutputToCpu("y");
        binding.BindOutputToCpu("sum");
        binding.Run();
        using var bound = binding.GetOutputs();

        Assert.Equal(["y", "sum"], bound.Names);
        Assert.Equal(plain["y"].Shape.ToArray(), bound["y"].Shape.ToArray());
        Assert.Equal(plain["y"].ToArray<float>(), bound["y"].ToArray<float>());
        Assert.Equal(plain["sum"].ToArray<float>(), bound["sum"].ToArray<float>());
    }

    [Fact]
    public void Run_OutputBoundToManagedArray_IsWrittenInPlaceOnEveryRun()
    {
        using var session = fixture.Environment.CreateSession(fixture.Models.Scale);
        var x = new float[] { 1, 2, 3, 4 };
        var y = new float[4];
        using var input = OnnxTensor.Create(x, 4);
        using var output = OnnxTensor.Create(y, 4);
        using var binding = session.CreateIoBinding();
        binding.BindInput("x", input);
        binding.BindOutput("y", output);

        session.Run(binding);
        Assert.Equal([2f, 4f, 6f, 8f], y);

        x[3] = -0.5f;
        binding.Run();
        Assert.Equal([2f, 4f, 6f, -1f], y);
    }

    [Fact]
    public void BindInput_TensorDisposedWhileBound_BindingKeepsItValid()
    {
        using var session = fixture.Environment.CreateSession(fixture.Models.Scale);
        using var binding = session.CreateIoBinding();
        var input = OnnxTensor.Create(new float[] { 5 }, 1);
        binding.BindInput("x", input);
        binding.BindOutputToCpu("y");

        input.Dispose();
        binding.Run();
        using var outputs = binding.GetOutputs();

        Assert.Equal([10f], outputs[0].ToArray<float>());
    }

    [Fact]
    public void BindInput_UnknownName_ThrowsRuntimeErrorAndKeepsEarlierBindings()
    {
        using var session = fixture.Environment.CreateSession(fixture.Models.Scale);
        using var binding = session.CreateIoBinding();
        using var input = OnnxTensor.Create(new float[] { 5 }, 1);
        binding.BindInput("x", input);
        binding.BindOutputToCpu("y");

        var error = Assert.Throws<OnnxRuntimeException>(() => binding.BindInput("nope", input));
        binding.Run();
        using var outputs = binding.GetOutputs();

        Assert.Equal(OrtErrorCode.Fail, error.ErrorCode);
        Assert.Contains("Failed to find input name in the mapping: nope", error.RuntimeMessage, StringComparison.Ordinal);
        Assert.Equal([10f], outputs[0].ToArray<float>());
    }

    [Fact]
    public void ClearOutputs_ThenRebind_ReturnsOnlyNewOutputs()
    {
        using var session = fixture.Environment.CreateSession(fixture.Models.AddMatMul);
        using var ta = OnnxTensor.Create(new float[4], 1, 4);
        using var binding = session.CreateIoBinding();
        binding.BindInput("a", ta);
        binding.BindInput("b", ta);
        binding.BindOutputToCpu("y");
        binding.BindOutputToCpu("sum");

        binding.ClearOutputs();
        binding.BindOutputToCpu("sum");
        binding.Run();
        using var outputs = binding.GetOutputs();

        Assert.Equal(["sum"], outputs.Names);
        Assert.Equal([1L, 4L], outputs[0].Shape.ToArray());
    }
}
