using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using SpeechServe.Export.Decoder;
using SpeechServe.Export.Onnx.Proto;
using SpeechServe.Tests.Support;
using N = SpeechServe.Runtime.Translation.DecoderGraphNames;

namespace SpeechServe.Export.Tests.Decoder;

/// <summary><see cref="GenAiDecoderGraph"/> on the shipped <c>translate-de</c> decoder, run through ONNX Runtime.</summary>
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

        using var stepSession = new InferenceSession(step.ToByteArray());
        using var genAiSession = new InferenceSession(genAi.ToByteArray());
        using var runOptions = new RunOptions();
        using var tokenTensor = OrtValue.CreateTensorValueFromMemory(tokens, [batch, 2]);
        using var crossKeyTensor = OrtValue.CreateTensorValueFromMemory(crossKey, crossShape);
        using var crossValueTensor = OrtValue.CreateTensorValueFromMemory(crossValue, crossShape);
        using var lengthTensor = OrtValue.CreateTensorValueFromMemory(lengths, [batch]);
        using var pastKeyTensor = OrtValue.CreateTensorValueFromMemory(pastKey, pastShape);
        using var pastValueTensor = OrtValue.CreateTensorValueFromMemory(pastValue, pastShape);
        using var expected = stepSession.Run(
            runOptions,
            [N.Tokens, N.PastKey, N.PastValue, N.CrossKey, N.CrossValue, N.EncoderLengths],
            [tokenTensor, pastKeyTensor, pastValueTensor, crossKeyTensor, crossValueTensor, lengthTensor],
            [N.Logits, N.PresentKey, N.PresentValue]);

        long[] layerShape = [batch, shape.Heads, past, shape.HeadDim];
        var layerPasts = Enumerable.Range(0, Layers)
            .SelectMany(l => new[]
            {
                OrtValue.CreateTensorValueFromMemory(pastKey.AsSpan(l * layerSize, layerSize).ToArray(), layerShape),
                OrtValue.CreateTensorValueFromMemory(pastValue.AsSpan(l * layerSize, layerSize).ToArray(), layerShape),
            })
            .ToArray();
        try
        {
            string[] names = ["input_ids", "past_key_values.0.key", "past_key_values.0.value", "past_key_values.1.key", "past_key_values.1.value", N.CrossKey, N.CrossValue, N.EncoderLengths];
            using var actual = genAiSession.Run(
                runOptions,
                names,
                [tokenTensor, .. layerPasts, crossKeyTensor, crossValueTensor, lengthTensor],
                ["logits", "present.0.key", "present.1.key", "present.0.value", "present.1.value"]);

            static float[] Floats(OrtValue value) => value.GetTensorDataAsSpan<float>().ToArray();
            Assert.Equal(Floats(expected[0]), Floats(actual[0]));
            var presentSize = batch * shape.Heads * (past + 2) * shape.HeadDim;
            for (var layer = 0; layer < Layers; layer++)
            {
                Assert.Equal(Floats(expected[1]).AsSpan(layer * presentSize, presentSize).ToArray(), Floats(actual[1 + layer]));
                Assert.Equal(Floats(expected[2]).AsSpan(layer * presentSize, presentSize).ToArray(), Floats(actual[3 + layer]));
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
