using SpeechServe.Runtime.Onnx;

namespace SpeechServe.Runtime.Tests.Fixtures;

/// <summary>
/// The session factory every ONNX Runtime test uses (ONNX Runtime keeps one environment per process), with a logger
/// the tests can inspect, and the generated test model.
/// </summary>
public sealed class OnnxFixture : IDisposable
{
    public OnnxFixture()
    {
        Models = new TestModels();
        Sessions = new OnnxSessionFactory(Logger, intraOpThreads: 2);
    }

    public ListLogger Logger { get; } = new();

    public TestModels Models { get; }

    public OnnxSessionFactory Sessions { get; }

    public void Dispose() => Models.Dispose();
}

/// <summary>Every test that touches ONNX Runtime shares one environment and runs serially.</summary>
[CollectionDefinition(Name)]
public sealed class OnnxTestGroup : ICollectionFixture<OnnxFixture>
{
    public const string Name = "onnx";
}
