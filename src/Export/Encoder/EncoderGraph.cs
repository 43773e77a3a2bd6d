using SpeechServe.Export.Onnx;
using SpeechServe.Export.Onnx.Proto;
using SpeechServe.Runtime.Models;
using N = SpeechServe.Runtime.Encoder.EncoderGraphNames;

namespace SpeechServe.Export.Encoder;

/// <summary>
/// Builds <c>encoder.onnx</c> exactly per docs/model.md ("Encoder", "ONNX graph"): operator set 17,
/// symbolic <c>batch</c> and <c>frames</c>, base weights as initializers, adapter and head weights and
/// the streaming caches as inputs, the chunk mask computed in the graph from shapes and lengths.
/// </summary>
public static class EncoderGraph
{
    /// <summary>Metadata key of the architecture JSON (snake_case keys, as in model.json).</summary>
    public const string ArchitectureMetadataKey = "architecture";

    /// <summary>Metadata key of the weight precision (<see cref="LinearEmitter.Precision"/>).</summary>
    public const string PrecisionMetadataKey = "precision";

    /// <summary>Builds the encoder model.</summary>
    /// <param name="architecture">Hyper-parameters; validated first.</param>
    /// <param name="weights">The base model's weights, checked against <see cref="Checkpoints.ReferenceCheckpointSchema"/>.</param>
    /// <param name="options">Precision and metadata; defaults to float32 without extra metadata.</param>
    public static ModelProto Build(EncoderArchitecture architecture, CheckpointWeights weights, EncoderGraphOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(weights);
        architecture.Validated();
        options ??= new EncoderGraphOptions();
        var a = architecture;
        long layers = a.NumLayers, d = a.DModel, left = a.LeftContextFrames, k1 = a.ConvKernel - 1, r = a.AdapterDim, v = a.VocabSize;

        var g = new OnnxGraphBuilder("speechserve_encoder")
        {
            ProducerVersion = options.ProducerVersion,
            DocString = "SpeechServe streaming Conformer encoder with per-element adapters and CTC heads (docs/model.md).",
        };
        var c = new EncoderGraphContext(g, a, weights, options.Linear);

        var features = g.Input(N.Features, ElementType.Float, [N.Batch, N.Frames, a.NMels]);
        var featureLengths = g.Input(N.FeatureLengths, ElementType.Int64, [N.Batch]);
        var attentionCache = g.Input(N.AttentionCache, ElementType.Float, [layers, N.Batch, left, d]);
        var cacheLength = g.Input(N.CacheLength, ElementType.Int64, [N.Batch]);
        var convolutionCache = g.Input(N.ConvolutionCache, ElementType.Float, [layers, N.Batch, d, k1]);
        var adapter = new AdapterInputs(
            g.Input(N.AdapterDown, ElementType.Float, [N.Batch, layers, d, r]),
            g.Input(N.AdapterDownBias, ElementType.Float, [N.Batch, layers, r]),
            g.Input(N.AdapterUp, ElementType.Float, [N.Batch, layers, r, d]),
            g.Input(N.AdapterUpBias, ElementType.Float, [N.Batch, layers, d]));
        var headWeight = g.Input(N.HeadWeight, ElementType.Float, [N.Batch, d, v]);
        var headBias = g.Input(N.HeadBias, ElementType.Float, [N.Batch, v]);

        var x = SubsamplingGraph.Build(c, features);
        var outputLengths = g.Div(featureLengths, c.Int64Scalar("subsampling_factor", EncoderArchitecture.Subsampling));
        var framesVector = g.Shape(x, 1, 2);
        var frames = g.Gather(framesVector, c.Int64Scalar("first", 0));
        var visible = ChunkMaskGraph.Build(c, frames, outputLengths, cacheLength);

        var attentionCaches = new GraphValue[a.NumLayers];
        var convolutionCaches = new GraphValue[a.NumLayers];
        for (var i = 0; i < a.NumLayers; i++)
        {
            var index = c.Int64Scalar($"layer_{i}", i);
            var inputs = new BlockInputs(visible, framesVector, g.Gather(attentionCache, index), g.Gather(convolutionCache, index));
            (x, var attention, var convolution) = ConformerBlockGraph.Build(c, x, i, inputs, adapter);
            attentionCaches[i] = g.Unsqueeze(attention, 0);
            convolutionCaches[i] = g.Unsqueeze(convolution, 0);
        }

        var logProbs = CtcHeadGraph.Build(c, x, headWeight, headBias);
        var cacheLengthOut = g.Min(g.Add(cacheLength, outputLengths), c.Int64Scalar("left_context_frames", left));

        g.Output(logProbs, ElementType.Float, [N.Batch, N.EncoderFrames, v], N.LogProbs);
        g.Output(x, ElementType.Float, [N.Batch, N.EncoderFrames, d], N.EncoderOut);
        g.Output(outputLengths, ElementType.Int64, [N.Batch], N.OutputLengths);
        g.Output(g.Concat(0, attentionCaches), ElementType.Float, [layers, N.Batch, left, d], N.AttentionCacheOut);
        g.Output(cacheLengthOut, ElementType.Int64, [N.Batch], N.CacheLengthOut);
        g.Output(g.Concat(0, convolutionCaches), ElementType.Float, [layers, N.Batch, d, k1], N.ConvolutionCacheOut);

        g.SetMetadata(ArchitectureMetadataKey, a.ToJson());
        g.SetMetadata(PrecisionMetadataKey, options.Linear.Precision);
        foreach (var (key, value) in options.Metadata)
        {
            g.SetMetadata(key, value);
        }

        return g.Build();
    }
}
