using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using SpeechServe.Export.Onnx;

namespace SpeechServe.Export.Tests.Onnx;

/// <summary>The graphs the writer builds, run through ONNX Runtime, give the numbers computed in C#.</summary>
public sealed class SampleGraphRunTests
{
    public static TheoryData<string> Samples => [.. SampleGraphs.Names];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Run_SampleGraphFromBytes_MatchesReferenceKernels(string name)
    {
        var sample = SampleGraphs.ByName(name);
        using var session = new InferenceSession(sample.Model.ToByteArray());

        AssertRunMatches(session, sample);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Run_SampleGraphSavedWithExternalData_MatchesReferenceKernels(string name)
    {
        var sample = SampleGraphs.ByName(name);
        using var directory = new TempDirectory();
        var path = directory.File(name + ".onnx");
        OnnxModelFile.Save(sample.Model, path, new ExternalDataOptions { ThresholdBytes = 64 });
        using var session = new InferenceSession(path);

        AssertRunMatches(session, sample);
    }

    [Fact]
    public void Session_MatMulAddRelu_ReportsTheSymbolicBatchDimension()
    {
        using var session = new InferenceSession(SampleGraphs.MatMulAddRelu().Model.ToByteArray());

        var input = Assert.Single(session.InputMetadata).Value;
        Assert.Equal([-1, 4], input.Dimensions);
        Assert.Equal("batch", input.SymbolicDimensions[0]);
    }

    private static void AssertRunMatches(InferenceSession session, SampleGraph sample)
    {
        var inputs = sample.Inputs.Select(ToTensor).ToArray();
        try
        {
            using var runOptions = new RunOptions();
            var outputNames = sample.ExpectedOutputs.Select(o => o.Name).ToArray();
            using var results = session.Run(runOptions, sample.Inputs.Select(i => i.Name).ToArray(), inputs, outputNames);
            foreach (var (expected, actual) in sample.ExpectedOutputs.Zip(results))
            {
                Assert.Equal(expected.Shape, actual.GetTensorTypeAndShape().Shape);
                var values = actual.GetTensorDataAsSpan<float>();
                Assert.Equal(expected.Floats!.Count, values.Length);
                for (var i = 0; i < values.Length; i++)
                {
                    Assert.True(
                        Math.Abs(values[i] - expected.Floats[i]) <= sample.Tolerance,
                        $"{sample.Name}.{expected.Name}[{i}]: expected {expected.Floats[i]}, got {values[i]}");
                }
            }
        }
        finally
        {
            foreach (var tensor in inputs)
            {
                tensor.Dispose();
            }
        }
    }

    private static OrtValue ToTensor(SampleTensor sample) => sample.Floats is not null
        ? OrtValue.CreateTensorValueFromMemory(sample.Floats.ToArray(), [.. sample.Shape])
        : OrtValue.CreateTensorValueFromMemory(sample.Int64s!.ToArray(), [.. sample.Shape]);
}
