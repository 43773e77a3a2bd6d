using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using SpeechServe.Runtime.Onnx;
using SpeechServe.Runtime.Tests.Fixtures;
using Xunit.Abstractions;

namespace SpeechServe.Runtime.Tests.Onnx;

[Collection(OnnxTestGroup.Name)]
public sealed class OnnxSessionFactoryTests(OnnxFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void Create_CudaWithoutCudaLibraries_LogsFallbackAndRunsOnCpu()
    {
        var logger = new ListLogger();
        var sessions = new OnnxSessionFactory(logger);

        using var session = sessions.Create(fixture.Models.Scale, OnnxExecutionProvider.Cuda, out var provider);

        Assert.Equal(OnnxExecutionProvider.Cpu, provider);
        var fallback = Assert.Single(logger.Entries, e => e.EventId.Id == 1102);
        output.WriteLine(fallback.Message);
        Assert.Equal(LogLevel.Warning, fallback.Level);
        Assert.Contains("falling back to the CPU execution provider", fallback.Message, StringComparison.Ordinal);
        Assert.Equal([2f, 4f, 6f], Scale(session, [1, 2, 3]));
    }

    [Fact]
    public void Create_Cpu_RunsWithoutFallbackWarning()
    {
        var logger = new ListLogger();
        var sessions = new OnnxSessionFactory(logger);

        using var session = sessions.Create(fixture.Models.Scale, OnnxExecutionProvider.Cpu, out var provider);

        Assert.Equal(OnnxExecutionProvider.Cpu, provider);
        Assert.DoesNotContain(logger.Entries, e => e.EventId.Id == 1102);
        Assert.Equal([0.5f], Scale(session, [0.25f]));
    }

    [Fact]
    public void Create_FromBytes_LoadsTheSameModel()
    {
        using var session = fixture.Sessions.Create(File.ReadAllBytes(fixture.Models.Scale), OnnxExecutionProvider.Cpu, out _);

        Assert.Equal(["x"], session.InputNames);
        Assert.Equal([-8f], Scale(session, [-4f]));
    }

    [Fact]
    public void Create_NotAnOnnxFile_ThrowsOnnxRuntimeException()
    {
        Assert.Throws<OnnxRuntimeException>(() => fixture.Sessions.Create(new byte[] { 1, 2, 3, 4 }, OnnxExecutionProvider.Cpu, out _));
    }

    private static float[] Scale(InferenceSession session, float[] x)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(x, [x.Length]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, ["x"], [input], ["y"]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
