using SpeechServe.Export.Encoder;
using SpeechServe.Export.Onnx;
using SpeechServe.Runtime.Translation;

namespace SpeechServe.Export.Decoder;

/// <summary>What the decoder graphs' sub-modules build with: the graph context and the decoder's architecture.</summary>
internal sealed class DecoderGraphContext : GraphContext
{
    public DecoderGraphContext(OnnxGraphBuilder graph, DecoderCheckpoint decoder)
        : base(graph, decoder.Weights, LinearEmitter.FullPrecision)
    {
        Architecture = decoder.Architecture;
    }

    public DecoderArchitecture Architecture { get; }

    /// <summary>The dims of a key/value tensor of every layer, <c>[Ld, batch, H, time, dh]</c>.</summary>
    public Dimension[] CacheDims(string time)
    {
        var a = Architecture;
        return [a.NumLayers, DecoderGraphNames.Batch, a.NumHeads, time, a.HeadDim];
    }
}
