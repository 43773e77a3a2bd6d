using SpeechServe.Runtime.Onnx;
using SpeechServe.Runtime.Tests.Fixtures;
using Xunit.Abstractions;

namespace SpeechServe.Runtime.Tests.Onnx;

/// <summary>
/// Runs one session many times and checks that native memory stays flat: every output is 64 KiB, so leaking one
/// value per run would grow the process by about 640 MB over 10,000 runs.
/// </summary>
[Collection(OnnxTestGroup.Name)]
public sealed class OnnxLeakTests(OnnxFixture fixture, ITestOutputHelper output)
{
    private const int Elements = 16 * 1024; // 64 KiB of float32 per tensor
    private const int WarmUpRuns = 500;
    private const int MeasuredRuns = 10_000;
    private const long AllowedGrowthBytes = 50L * 1024 * 1024;

    [Fact]
    public void Run_TenThousandRunsWithFreshTensors_ResidentMemoryStaysFlat()
    {
        using var session = fixture.Environment.CreateSession(fixture.Models.Scale);
        var x = new float[Elements];
        x[Elements - 1] = 1;
        using var options = new OnnxRunOptions("leak-check");

        void RunOnce(int i)
        {
            x[0] = i;
            using var input = OnnxTensor.Create(x, Elements);
            using var results = session.Run(["x"], [input], ["y"], options);
            var y = results[0].GetData<float>();
            Assert.Equal(2f * i, y[0]);
            Assert.Equal(2f, y[Elements - 1]);
        }

        for (var i = 0; i < WarmUpRuns; i++)
        {
            RunOnce(i);
        }

        var before = ResidentBytes();
        for (var i = 0; i < MeasuredRuns; i++)
        {
            RunOnce(i);
        }

        var growth = ResidentBytes() - before;
        output.WriteLine($"resident memory growth over {MeasuredRuns} runs: {growth / 1024} KiB");
        Assert.True(growth < AllowedGrowthBytes, $"resident memory grew by {growth / (1024 * 1024)} MiB over {MeasuredRuns} runs");
    }

    [Fact]
    public void Run_TenThousandBoundRuns_ResidentMemoryStaysFlat()
    {
        using var session = fixture.Environment.CreateSession(fixture.Models.Scale);
        var x = new float[Elements];
        using var input = OnnxTensor.Create(x, Elements);
        using var binding = session.CreateIoBinding();
        binding.BindInput("x", input);
        binding.BindOutputToCpu("y");

        void RunOnce(int i)
        {
            x[0] = i;
            binding.Run();
            using var outputs = binding.GetOutputs();
            Assert.Equal(2f * i, outputs[0].GetData<float>()[0]);
        }

        for (var i = 0; i < WarmUpRuns; i++)
        {
            RunOnce(i);
        }

        var before = ResidentBytes();
        for (var i = 0; i < MeasuredRuns; i++)
        {
            RunOnce(i);
        }

        var growth = ResidentBytes() - before;
        output.WriteLine($"resident memory growth over {MeasuredRuns} runs: {growth / 1024} KiB");
        Assert.True(growth < AllowedGrowthBytes, $"resident memory grew by {growth / (1024 * 1024)} MiB over {MeasuredRuns} runs");
    }

    // Resident set size from /proc/self/statm (second field, in pages), after a full collection so finalisable
    // managed wrappers cannot hide a native leak.
    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var fields = File.ReadAllText("/proc/self/statm").Split(' ');
        return long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) * Environment.SystemPageSize;
    }
}
