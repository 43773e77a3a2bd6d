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

    /// <summary>
    /// The caches of several streams as one batch, in order: element <c>b</c> of the result is <paramref name="elements"/>[b]
    /// (each of batch size 1), so that their chunks can run in one encoder call.
    /// </summary>
    /// <param name="architecture">The encoder the caches belong to (its layer count gives the layout).</param>
    /// <param name="elements">States of batch size 1.</param>
    public static EncoderState Stack(EncoderArchitecture architecture, IReadOnlyList<EncoderState> elements)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(elements);
        if (elements.Count == 0 || elements.Any(e => e.BatchSize != 1))
        {
            throw new ArgumentException("Stack takes one or more states of batch size 1.", nameof(elements));
        }

        var (batch, layers) = (elements.Count, architecture.NumLayers);
        var cacheLength = new long[batch];
        var attention = new float[elements[0].AttentionCache.Length * batch];
        var convolution = new float[elements[0].ConvolutionCache.Length * batch];
        for (var b = 0; b < batch; b++)
        {
            cacheLength[b] = elements[b].CacheLength[0];
            CopyElement(elements[b].AttentionCache, 0, 1, attention, b, batch, layers);
            CopyElement(elements[b].ConvolutionCache, 0, 1, convolution, b, batch, layers);
        }

        return new EncoderState(batch, attention, cacheLength, convolution);
    }

    /// <summary>The caches of element <paramref name="index"/> alone, as a state of batch size 1 (the inverse of <see cref="Stack"/>).</summary>
    /// <param name="architecture">The encoder the caches belong to.</param>
    /// <param name="index">The batch element.</param>
    public EncoderState Element(EncoderArchitecture architecture, int index)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, BatchSize);
        var layers = architecture.NumLayers;
        var attention = new float[AttentionCache.Length / BatchSize];
        var convolution = new float[ConvolutionCache.Length / BatchSize];
        CopyElement(AttentionCache, index, BatchSize, attention, 0, 1, layers);
        CopyElement(ConvolutionCache, index, BatchSize, convolution, 0, 1, layers);
        return new EncoderState(1, attention, [CacheLength[index]], convolution);
    }

    // Both caches are [N, B, X]: every layer holds one block of X values per element.
    private static void CopyElement(float[] source, int sourceIndex, int sourceBatch, float[] target, int targetIndex, int targetBatch, int layers)
    {
        var block = source.Length / sourceBatch / layers;
        for (var layer = 0; layer < layers; layer++)
        {
            source.AsSpan(((layer * sourceBatch) + sourceIndex) * block, block).CopyTo(target.AsSpan(((layer * targetBatch) + targetIndex) * block, block));
        }
    }

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
