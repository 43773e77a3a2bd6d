using SpeechServe.Export.Encoder;
using SpeechServe.Export.Onnx;
using SpeechServe.Export.Onnx.Proto;
using SpeechServe.Export.Repository;
using N = SpeechServe.Runtime.Translation.DecoderGraphNames;

namespace SpeechServe.Export.Decoder;

/// <summary>
/// <c>decoder.onnx</c> in the input and output names of ONNX Runtime GenAI's decoder-only models (docs/decoding.md,
/// "ONNX Runtime GenAI"): <c>input_ids</c>, one <c>past_key_values.{i}.key</c>/<c>.value</c> per layer in and one
/// <c>present.{i}.key</c>/<c>.value</c> per layer out, each <c>[batch, H, time, dh]</c>, and <c>logits</c>. The
/// cross-attention keys and values and the encoder lengths stay inputs of their own names, which the caller feeds
/// per request (<c>Generator.SetModelInput</c>). The step graph itself is unchanged: thin graphs around it stack the
/// per-layer caches into its <c>[Ld, batch, H, time, dh]</c> tensors and unstack the grown ones.
/// </summary>
public static class GenAiDecoderGraph
{
    /// <summary>GenAI's token input, <c>[batch, S]</c> int64.</summary>
    public const string InputIds = "input_ids";

    /// <summary>GenAI's logits output, <c>[batch, S, Vt]</c>.</summary>
    public const string Logits = "logits";

    /// <summary>Layer <c>%d</c>'s self-attention keys of the earlier steps, as genai_config.json names them.</summary>
    public const string PastKeyNames = "past_key_values.%d.key";

    /// <summary>Layer <c>%d</c>'s self-attention values of the earlier steps.</summary>
    public const string PastValueNames = "past_key_values.%d.value";

    /// <summary>Layer <c>%d</c>'s grown keys.</summary>
    public const string PresentKeyNames = "present.%d.key";

    /// <summary>Layer <c>%d</c>'s grown values.</summary>
    public const string PresentValueNames = "present.%d.value";

    /// <summary>Rewrites a step graph (<see cref="DecoderStepGraph"/>, or a shipped adapter's <c>decoder.onnx</c>).</summary>
    /// <param name="stepGraph">The step graph; its cache inputs must have fixed layer, head and head-width dimensions.</param>
    /// <returns>The GenAI graph and the cache geometry that genai_config.json states.</returns>
    /// <exception cref="ExportException">The graph is not a step graph of docs/model.md.</exception>
    public static (ModelProto Graph, GenAiDecoderShape Shape) FromStepGraph(ModelProto stepGraph)
    {
        ArgumentNullException.ThrowIfNull(stepGraph);
        var shape = ReadShape(stepGraph);
        var stacking = Stacking(shape);
        var unstacking = Unstacking(shape);
        var outputs = new[] { N.Logits, N.PresentKey, N.PresentValue }.Select(n => KeyValuePair.Create(n, n)).ToArray();
        var composed = OnnxModelComposer.Compose(stacking, stepGraph, outputs, "genai_in/");
        var unstacked = unstacking.Graph.Output.Select(o => KeyValuePair.Create(o.Name, o.Name)).ToArray();
        var model = OnnxModelComposer.Compose(composed, unstacking, unstacked, "step/");
        model.MetadataProps.AddRange(stepGraph.MetadataProps.Select(p => p.Clone()));
        return (model, shape);
    }

    /// <summary>Layer <paramref name="layer"/>'s name from a <c>%d</c> template.</summary>
    public static string LayerName(string template, int layer) =>
        template.Replace("%d", layer.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private static GenAiDecoderShape ReadShape(ModelProto stepGraph)
    {
        var names = stepGraph.Graph.Input.Select(i => i.Name).Concat(stepGraph.Graph.Output.Select(o => o.Name)).ToHashSet(StringComparer.Ordinal);
        string[] required = [N.Tokens, N.PastKey, N.PastValue, N.CrossKey, N.CrossValue, N.EncoderLengths, N.Logits, N.PresentKey, N.PresentValue];
        var missing = required.Where(n => !names.Contains(n)).ToList();
        if (missing.Count > 0)
        {
            throw new ExportException($"The step graph lacks {string.Join(", ", missing)} (docs/model.md, \"Two graphs\").");
        }

        var past = stepGraph.Graph.Input.Single(i => i.Name == N.PastKey).Type.TensorType.Shape.Dim;
        var logits = stepGraph.Graph.Output.Single(o => o.Name == N.Logits).Type.TensorType.Shape.Dim;
        if (past.Count != 5 || !past[0].HasDimValue || !past[2].HasDimValue || !past[4].HasDimValue)
        {
            throw new ExportException($"{N.PastKey} must be [layers, batch, heads, past, head width] with fixed layers, heads and head width.");
        }

        var vocabulary = logits.Count == 3 && logits[2].HasDimValue ? (int)logits[2].DimValue : 0;
        return new GenAiDecoderShape((int)past[0].DimValue, (int)past[2].DimValue, (int)past[4].DimValue, vocabulary);
    }

    // GenAI's inputs -> the step graph's: tokens, the stacked caches, and the cross-attention inputs as they are.
    private static ModelProto Stacking(GenAiDecoderShape shape)
    {
        var g = new OnnxGraphBuilder("genai_inputs");
        Dimension[] layerDims(string time) => [N.Batch, shape.Heads, time, shape.HeadDim];
        Dimension[] stackDims(string time) => [shape.Layers, N.Batch, shape.Heads, time, shape.HeadDim];
        g.Output(g.Input(InputIds, ElementType.Int64, [N.Batch, N.NewTokens]), ElementType.Int64, [N.Batch, N.NewTokens], N.Tokens);
        foreach (var (template, stacked) in new[] { (PastKeyNames, N.PastKey), (PastValueNames, N.PastValue) })
        {
            var layers = Enumerable.Range(0, shape.Layers)
                .Select(i => g.Unsqueeze(g.Input(LayerName(template, i), ElementType.Float, layerDims(N.Past)), 0))
                .ToArray();
            g.Output(g.Concat(0, layers), ElementType.Float, stackDims(N.Past), stacked);
        }

        g.Output(g.Input(N.CrossKey, ElementType.Float, stackDims(N.Frames)), ElementType.Float, stackDims(N.Frames));
        g.Output(g.Input(N.CrossValue, ElementType.Float, stackDims(N.Frames)), ElementType.Float, stackDims(N.Frames));
        g.Output(g.Input(N.EncoderLengths, ElementType.Int64, [N.Batch]), ElementType.Int64, [N.Batch]);
        return g.Build();
    }

    // The step graph's outputs -> GenAI's: logits as they are, the grown caches one tensor per layer.
    private static ModelProto Unstacking(GenAiDecoderShape shape)
    {
        var g = new OnnxGraphBuilder("genai_outputs");
        Dimension[] layerDims = [N.Batch, shape.Heads, N.Present, shape.HeadDim];
        Dimension[] stackDims = [shape.Layers, N.Batch, shape.Heads, N.Present, shape.HeadDim];
        Dimension[] logitDims = shape.VocabularySize > 0 ? [N.Batch, N.NewTokens, shape.VocabularySize] : [N.Batch, N.NewTokens, "vocabulary"];
        // N.Logits and GenAI's name are the same, so the input is the output.
        g.Output(g.Input(N.Logits, ElementType.Float, logitDims), ElementType.Float, logitDims);
        foreach (var (stacked, template) in new[] { (N.PresentKey, PresentKeyNames), (N.PresentValue, PresentValueNames) })
        {
            var present = g.Input(stacked, ElementType.Float, stackDims);
            for (var i = 0; i < shape.Layers; i++)
            {
                var layer = g.Initializer($"{stacked}.layer_{i}", [(long)i], []);
                g.Output(g.Gather(present, layer), ElementType.Float, layerDims, LayerName(template, i));
            }
        }

        return g.Build();
    }
}

/// <summary>The cache geometry of a decoder graph, as genai_config.json states it.</summary>
/// <param name="Layers">Decoder layers <c>Ld</c>.</param>
/// <param name="Heads">Attention heads <c>H</c>.</param>
/// <param name="HeadDim">Width of one head <c>dh</c>.</param>
/// <param name="VocabularySize">Logit width; 0 when the graph leaves it symbolic.</param>
public sealed record GenAiDecoderShape(int Layers, int Heads, int HeadDim, int VocabularySize);
