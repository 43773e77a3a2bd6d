using SpeechServe.Runtime.Onnx;

namespace SpeechServe.Runtime.Tests.Fixtures;

/// <summary>
/// The process's ONNX Runtime environment (ONNX Runtime keeps one per process) with a logger the tests can inspect,
/// and the generated test models.
/// </summary>
public sealed class OnnxFixture : IDisposable
{
    public OnnxFixture()
    {
        Models = new TestModels();
        Environment = OnnxEnvironment.Create(
            new OnnxEnvironmentOptions { LogLevel = OnnxLogLevel.Warning, IntraOpThreads = 2, InterOpThreads = 1 }, Logger);
    }

    public ListLogger Logger { get; } = new();

    public TestModels Models { get; }

    public OnnxEnvironment Environment { get; }

    public void Dispose()
    {
        Environment.Dispose();
        Models.Dispose();
    }
}

/// <summary>Every test that touches ONNX Runtime shares one environment and runs serially (memory is measured).</summary>
[CollectionDefinition(Name)]
public sealed class OnnxTestGroup : ICollectionFixture<OnnxFixture>
{
    public const string Name = "onnx";
}
