using Google.Protobuf;
using SpeechServe.Export.Decoder;
using SpeechServe.Export.Onnx.Proto;
using SpeechServe.Runtime.Onnx;
using SpeechServe.Tests.Support;
using N = SpeechServe.Runtime.Translation.DecoderGraphNames;

namespace SpeechServe.Export.Tests.Decoder;

/// <summary><see cref="GenAiDecoderGraph"/> on the shipped <c>translate-de</c> decoder, run through our ONNX Runtime binding.</summary>
public sealed class GenAiDecoderGraphTests
{
    private const int Layers = 2;

    private static ModelProto ShippedStepGraph() => ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(
        TrainingScripts.RepositoryRoot, "models", "speechfm-en-small", "adapters", "translate-de", "1", "decoder.onnx")));

    [Fact]
    public void FromStepGraph_ShippedDecoder_HasGenAiNamesAndTheCacheShape()
    {
        var (graph, shape) = GenAiDecoderGraph.FromStepGraph(ShippedStepGraph());

        Assert.Equal(new GenAiDecoderShape(Layers, 4, 48, 156), shape);
        Assert.Equal(
            ["input_ids", "past_key_values.0.key", "past_key_values.1.key", "past_key_values.0.value", "past_key_values.1.value", N.CrossKey, N.CrossValue, N.EncoderLengths],
            graph.Graph.Input.Select(i => i.Name));
        Assert.Equal(
            ["logits", "present.0.key", "present.1.key", "present.0.value", "present.1.value"],
            graph.Graph.Output.Select(o => o.Name));
    }

    [Fact]
    public void FromStepGraph_OneStepOnACache_GivesTheStepGraphsLogitsAndEachLayersCache()
    {
        var step = ShippedStepGraph();
        var (genAi, shape) = GenAiDecoderGraph.FromStepGraph(step);
        var (batch, past, frames) = (2, 3, 5);
        var random = new Random(7);
        float[] Values(long count) => [.. Enumerable.Range(0, (int)count).Select(_ => (float)((random.NextDouble() * 2) - 1))];
        long[] pastShape = [Layers, batch, shape.Heads, past, shape.HeadDim];
        long[] crossShape = [Layers, batch, shape.Heads, frames, shape.HeadDim];
        var layerSize = batch * shape.Heads * past * shape.HeadDim;
        var (pastKey, pastValue) = (Values(Layers * layerSize), Values(Layers * layerSize));
        var (crossKey, crossValue) = (Values(Layers * batch * shape.Heads * frames * shape.HeadDim), Values(Layers * batch * shape.Heads * frames * shape.HeadDim));
        long[] tokens = [1, 40, 1, 7];
        long[] lengths = [5, 3];

        using var environment = OnnxEnvironment.Create();
        using var stepSession = environment.CreateSession(step.ToByteArray());
        using var genAiSession = environment.CreateSession(genAi.ToByteArray());
        using var tokenTensor = OnnxTensor.Create(tokens, batch, 2);
        using var crossKeyTensor = OnnxTensor.Create(crossKey, crossShape);
        using var crossValueTensor = OnnxTensor.Create(crossValue, crossShape);
        using var lengthTensor = OnnxTensor.Create(lengths, batch);
        using var pastKeyTensor = OnnxTensor.Create(pastKey, pastShape);
        using var pastValueTensor = OnnxTensor.Create(pastValue, pastShape);
        using var expected = stepSession.Run(
            [N.Tokens, N.PastKey, N.PastValue, N.CrossKey, N.CrossValue, N.EncoderLengths],
            [tokenTensor, pastKeyTensor, pastValueTensor, crossKeyTensor, crossValueTensor, lengthTensor],
            [N.Logits, N.PresentKey, N.PresentValue]);

        long[] layerShape = [batch, shape.Heads, past, shape.HeadDim];
        var layerPasts = Enumerable.Range(0, Layers)
            .SelectMany(l => new[]
            {
                OnnxTensor.Create(pastKey.AsMemory(l * layerSize, layerSize), layerShape),
                OnnxTensor.Create(pastValue.AsMemory(l * layerSize, layerSize), layerShape),
            })
            .ToArray();
        try
        {
            string[] names = ["input_ids", "past_key_values.0.key", "past_key_values.0.value", "past_key_values.1.key", "past_key_values.1.value", N.CrossKey, N.CrossValue, N.EncoderLengths];
            using var actual = genAiSession.Run(
                names,
                [tokenTensor, .. layerPasts, crossKeyTensor, crossValueTensor, lengthTensor],
                ["logits", "present.0.key", "present.1.key", "present.0.value", "present.1.value"]);

            Assert.Equal(expected[0].ToArray<float>(), actual[0].ToArray<float>());
            var presentSize = batch * shape.Heads * (past + 2) * shape.HeadDim;
            for (var layer = 0; layer < Layers; layer++)
            {
                Assert.Equal(expected[1].ToArray<float>().AsSpan(layer * presentSize, presentSize).ToArray(), actual[1 + layer].ToArray<float>());
                Assert.Equal(expected[2].ToArray<float>().AsSpan(layer * presentSize, presentSize).ToArray(), actual[3 + layer].ToArray<float>());
            }
        }
        finally
        {
            foreach (var tensor in layerPasts)
            {
                tensor.Dispose();
            }
        }
    }
}
