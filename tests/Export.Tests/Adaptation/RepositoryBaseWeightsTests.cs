using SpeechServe.Export.Adaptation;
using SpeechServe.Export.Encoder;
using SpeechServe.Export.Onnx.Proto;
using SpeechServe.Runtime.Models;
using SpeechServe.Tests.Support;

namespace SpeechServe.Export.Tests.Adaptation;

public sealed class RepositoryBaseWeightsTests
{
    private static readonly string ShippedModel = Path.Combine(TrainingScripts.RepositoryRoot, "models", "speechfm-en-small");

    [Fact]
    public void Read_ShippedModel_RebuildsTheSameEncoderInitializers()
    {
        var manifest = ModelManifest.Parse(File.ReadAllBytes(Path.Combine(ShippedModel, "model.json")));
        var weights = RepositoryBaseWeights.Read(ShippedModel, manifest);
        var rebuilt = EncoderGraph.Build(manifest.Architecture, CheckpointWeights.FromCheckpoint(weights)).Graph.Initializer.ToDictionary(t => t.Name);
        using var stream = File.OpenRead(Path.Combine(ShippedModel, "encoder.onnx"));
        var shipped = ModelProto.Parser.ParseFrom(stream).Graph.Initializer;
        var different = shipped.Where(t => !rebuilt.TryGetValue(t.Name, out var r) || !r.RawData.Span.SequenceEqual(t.RawData.Span)).Select(t => t.Name).ToList();
        Assert.Empty(different);
    }
}
