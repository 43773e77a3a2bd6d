using SpeechServe.Export.Encoder;
using SpeechServe.Export.Onnx;
using SpeechServe.Export.Onnx.Proto;
using N = SpeechServe.Runtime.Translation.DecoderGraphNames;

namespace SpeechServe.Export.Decoder;

/// <summary>
/// Builds <c>decoder.onnx</c> (docs/model.md, "Two graphs"): new tokens and the self-attention cache in,
/// logits and the grown cache out (<c>TranslationDecoder.step</c>). One token per call while decoding; with
/// an empty cache and the whole prefix it is the teacher-forced pass of training.
/// </summary>
public static class DecoderStepGraph
{
    /// <summary>Builds the graph from a checked decoder checkpoint.</summary>
    /// <param name="decoder">The decoder.</param>
    /// <param name="producerVersion">The exporter's version, written as the model's producer version.</param>
    public static ModelProto Build(DecoderCheckpoint decoder, string producerVersion = "")
    {
        ArgumentNullException.ThrowIfNull(decoder);
        var a = decoder.Architecture;
        var g = new OnnxGraphBuilder("speechserve_decoder_step")
        {
            ProducerVersion = producerVersion,
            DocString = "SpeechServe translation decoder: one step over new tokens with a key/value cache (docs/model.md).",
        };
        var c = new DecoderGraphContext(g, decoder);
        var tokens = g.Input(N.Tokens, ElementType.Int64, [N.Batch, N.NewTokens]);
        var pastKey = g.Input(N.PastKey, ElementType.Float, c.CacheDims(N.Past));
        var pastValue = g.Input(N.PastValue, ElementType.Float, c.CacheDims(N.Past));
        var crossKey = g.Input(N.CrossKey, ElementType.Float, c.CacheDims(N.Frames));
        var crossValue = g.Input(N.CrossValue, ElementType.Float, c.CacheDims(N.Frames));
        var encoderLengths = g.Input(N.EncoderLengths, ElementType.Int64, [N.Batch]);

        var first = c.Int64Scalar("first", 0);
        var past = g.Gather(g.Shape(pastKey, 3, 4), first);
        var keyCount = g.Add(past, g.Gather(g.Shape(tokens, 1, 2), first));
        var positions = g.Range(past, keyCount, c.Int64Scalar("mask.one", 1)); // [S]
        var x = g.Add(
            g.Gather(c.Weight("embed.weight", [a.VocabSize, a.DModel]), tokens),
            g.Gather(c.Weight("positions.weight", [a.MaxPositions, a.DModel]), positions));
        var causal = DecoderMaskGraph.Causal(c, positions, keyCount);
        var encoderVisible = DecoderMaskGraph.EncoderFrames(c, g.Gather(g.Shape(crossKey, 3, 4), first), encoderLengths);

        var presentKeys = new GraphValue[a.NumLayers];
        var presentValues = new GraphValue[a.NumLayers];
        for (var i = 0; i < a.NumLayers; i++)
        {
            var p = $"layers.{i}";
            var layer = c.Int64Scalar($"layer_{i}", i);
            var y = c.LayerNorm(x, p + ".self_norm");
            var (k, v) = DecoderAttentionGraph.KeysValues(c, y, p + ".self_attn");
            k = g.Concat(2, g.Gather(pastKey, layer), k); // [B, H, P+S, dh]
            v = g.Concat(2, g.Gather(pastValue, layer), v);
            presentKeys[i] = g.Unsqueeze(k, 0);
            presentValues[i] = g.Unsqueeze(v, 0);
            x = g.Add(x, DecoderAttentionGraph.Attend(c, y, p + ".self_attn", k, v, causal));

            var cross = DecoderAttentionGraph.Attend(
                c, c.LayerNorm(x, p + ".cross_norm"), p + ".cross_attn", g.Gather(crossKey, layer), g.Gather(crossValue, layer), encoderVisible);
            x = g.Add(x, cross);

            var hidden = g.Relu(c.Dense(c.LayerNorm(x, p + ".ff_norm"), p + ".linear1", a.DModel, a.FfDim));
            x = g.Add(x, c.Dense(hidden, p + ".linear2", a.FfDim, a.DModel));
        }

        var logits = c.Dense(c.LayerNorm(x, "final_norm"), "output", a.DModel, a.VocabSize);
        g.Output(logits, ElementType.Float, [N.Batch, N.NewTokens, a.VocabSize], N.Logits);
        g.Output(g.Concat(0, presentKeys), ElementType.Float, c.CacheDims(N.Present), N.PresentKey);
        g.Output(g.Concat(0, presentValues), ElementType.Float, c.CacheDims(N.Present), N.PresentValue);
        g.SetMetadata(DecoderCheckpoint.ConfigMetadataKey, a.ToJson());
        return g.Build();
    }
}
