using SpeechServe.Export.Encoder;
using SpeechServe.Export.Onnx;
using SpeechServe.Export.Onnx.Proto;
using N = SpeechServe.Runtime.Translation.DecoderGraphNames;

namespace SpeechServe.Export.Decoder;

/// <summary>
/// Builds <c>decoder_cross.onnx</c> (docs/model.md, "Two graphs"): <c>encoder_out</c> to every layer's
/// cross-attention keys and values, run once per utterance (<c>TranslationDecoder.cross_kv</c>).
/// </summary>
public static class DecoderCrossGraph
{
    /// <summary>Builds the graph from a checked decoder checkpoint.</summary>
    /// <param name="decoder">The decoder.</param>
    /// <param name="producerVersion">The exporter's version, written as the model's producer version.</param>
    public static ModelProto Build(DecoderCheckpoint decoder, string producerVersion = "")
    {
        ArgumentNullException.ThrowIfNull(decoder);
        var g = new OnnxGraphBuilder("speechserve_decoder_cross")
        {
            ProducerVersion = producerVersion,
            DocString = "SpeechServe translation decoder: cross-attention keys and values of the encoder output (docs/model.md).",
        };
        var c = new DecoderGraphContext(g, decoder);
        var encoderOut = g.Input(N.EncoderOut, ElementType.Float, [N.Batch, N.Frames, decoder.Architecture.DModel]);

        var keys = new GraphValue[decoder.Architecture.NumLayers];
        var values = new GraphValue[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            var (k, v) = DecoderAttentionGraph.KeysValues(c, encoderOut, $"layers.{i}.cross_attn");
            keys[i] = g.Unsqueeze(k, 0);
            values[i] = g.Unsqueeze(v, 0);
        }

        g.Output(g.Concat(0, keys), ElementType.Float, c.CacheDims(N.Frames), N.CrossKey);
        g.Output(g.Concat(0, values), ElementType.Float, c.CacheDims(N.Frames), N.CrossValue);
        g.SetMetadata(DecoderCheckpoint.ConfigMetadataKey, decoder.Architecture.ToJson());
        return g.Build();
    }
}
