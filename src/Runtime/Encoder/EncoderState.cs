using SpeechServe.Runtime.Models;

namespace SpeechServe.Runtime.Encoder;

/// <summary>
/// Streaming caches of a batch, in the encoder graph's layout (docs/model.md, "Streaming state"):
/// <c>AttentionCache [N, B, L, d]</c>, <c>CacheLength [B]</c>, <c>ConvolutionCache [N, B, d, k-1]</c>.
/// </summary>
public sealed class EncoderState
{
    /// <summary>Wraps cache arrays of a batch of <paramref name="batchSize"/>.</summary>
    public EncoderState(int batchSize, float[] attentionCache, long[] cacheLength, float[] convolutionCache)
    {
        BatchSize = batchSize;
        AttentionCache = attentionCache;
        CacheLength = cacheLength;
        ConvolutionCache = convolutionCache;
    }

    /// <summary>Number of batch elements.</summary>
    public int BatchSize { get; }

    /// <summary>The last L attention inputs of every layer, <c>[N, B, L, d]</c>.</summary>
    public float[] AttentionCache { get; }

    /// <summary>Valid cache frames per element, <c>[B]</c>.</summary>
    public long[] CacheLength { get; }

    /// <summary>The last k-1 GLU outputs of every layer, <c>[N, B, d, k-1]</c>.</summary>
    public float[] ConvolutionCache { get; }

    /// <summary>The state at the start of a stream: empty caches.</summary>
    public static EncoderState Empty(EncoderArchitecture architecture, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        return new EncoderState(
            batchSize,
            new float[architecture.NumLayers * batchSize * architecture.LeftContextFrames * architecture.DModel],
            new long[batchSize],
            new float[architecture.NumLayers * batchSize * architecture.DModel * (architecture.ConvKernel - 1)]);
    }
}
