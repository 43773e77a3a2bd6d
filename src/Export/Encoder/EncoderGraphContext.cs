using SpeechServe.Export.Onnx;
using SpeechServe.Runtime.Models;

namespace SpeechServe.Export.Encoder;

/// <summary>What every sub-module of the encoder graph builds with: the graph context and the encoder's architecture.</summary>
internal sealed class EncoderGraphContext : GraphContext
{
    public EncoderGraphContext(OnnxGraphBuilder graph, EncoderArchitecture architecture, CheckpointWeights weights, LinearEmitter linear)
        : base(graph, weights, linear)
    {
        Architecture = architecture;
    }

    public EncoderArchitecture Architecture { get; }
}
