using Microsoft.Extensions.Logging;
using SpeechServe.Runtime.Onnx;
using SpeechServe.Runtime.Tests.Fixtures;
using Xunit.Abstractions;

namespace SpeechServe.Runtime.Tests.Onnx;

[Collection(OnnxTestGroup.Name)]
public sealed class OnnxExecutionProviderTests(OnnxFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void CreateSession_CudaWithoutProviderLibrary_LogsFallbackAndRunsOnCpu()
    {
        var logger = new ListLogger();
        using var environment = OnnxEnvironment.Create(logger: logger);
        var options = new OnnxSessionOptions { ExecutionProvider = OnnxExecutionProvider.Cuda };

        using var session = environment.CreateSession(fixture.Models.Scale, options);
        using var input = OnnxTensor.Create(new float[] { 1, 2, 3 }, 3);
        using var results = session.Run(["x"], [input], ["y"]);

        Assert.Equal(OnnxExecutionProvider.Cpu, session.ExecutionProvider);
        var fallback = Assert.Single(logger.Entries, e => e.EventId.Id == 1102);
        output.WriteLine(fallback.Message);
        Assert.Equal(LogLevel.Warning, fallback.Level);
        Assert.Contains("falling back to the CPU execution provider", fallback.Message, StringComparison.Ordinal);
        Assert.Equal([2f, 4f, 6f], results[0].ToArray<float>());
    }

    [Fact]
    public void CreateSession_OwnThreadPoolsAndBasicOptimisation_RunsCorrectly()
    {
        var options = new OnnxSessionOptions
        {
            UseEnvironmentThreadPools = false,
            IntraOpThreads = 1,
            InterOpThreads = 1,
            GraphOptimizationLevel = GraphOptimizationLevel.Basic,
            ConfigEntries = new Dictionary<string, string> { ["session.intra_op.allow_spinning"] = "0" },
        };

        using var session = fixture.Environment.CreateSession(fixture.Models.Scale, options);
        using var input = OnnxTensor.Create<float>([0.25f], 1);
        using var results = session.Run(["x"], [input]);

        Assert.Equal([0.5f], results[0].ToArray<float>());
    }
}
