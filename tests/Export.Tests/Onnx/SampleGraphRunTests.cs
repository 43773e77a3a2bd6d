using Google.Protobuf;
using SpeechServe.Export.Onnx;
using SpeechServe.Runtime.Onnx;

namespace SpeechServe.Export.Tests.Onnx;

/// <summary>The graphs the writer builds, run through our ONNX Runtime binding, give the numbers computed in C#.</summary>
public sealed class SampleGraphRunTests
{
    public static TheoryData<string> Samples => [.. SampleGraphs.Names];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Run_SampleGraphFromBytes_MatchesReferenceKernels(string name)
    {
        var sample = SampleGraphs.ByName(name);
        using var environment = OnnxEnvironment.Create();
        using var session = environment.CreateSession(sample.Model.ToByteArray());

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
        using var environment = OnnxEnvironment.Create();
        using var session = environment.CreateSession(path);

        AssertRunMatches(session, sample);
    }

    [Fact]
    public void Session_MatMulAddRelu_ReportsTheSymbolicBatchDimension()
    {
        using var environment = OnnxEnvironment.Create();
        using var session = environment.CreateSession(SampleGraphs.MatMulAddRelu().Model.ToByteArray());

        var input = Assert.Single(session.Inputs);
        Assert.Equal([-1L, 4L], input.Shape);
        Assert.Equal("batch", input.SymbolicDimensions[0]);
    }

    private static void AssertRunMatches(OnnxSession session, SampleGraph sample)
    {
        var inputs = sample.Inputs.Select(ToTensor).ToArray();
        try
        {
            using var results = session.Run(sample.Inputs.Select(i => i.Name).ToArray(), inputs);
            foreach (var expected in sample.ExpectedOutputs)
            {
                var actual = results[expected.Name];
                Assert.Equal(expected.Shape, actual.Shape.ToArray());
                var values = actual.GetData<float>();
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

    private static OnnxTensor ToTensor(SampleTensor sample) => sample.Floats is not null
        ? OnnxTensor.Create(sample.Floats.ToArray(), [.. sample.Shape])
        : OnnxTensor.Create(sample.Int64s!.ToArray(), [.. sample.Shape]);
}
