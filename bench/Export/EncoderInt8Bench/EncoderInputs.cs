using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Onnx;

namespace SpeechServe.Bench.Export;

/// <summary>
/// One batch of encoder inputs, built once and fed unchanged to every run: seeded random features, empty
/// caches, identity adapters and a random head (the head's values do not change the cost).
/// </summary>
internal sealed class EncoderInputs : IDisposable
{
    private static readonly string[] InputNames =
    [
        "features", "feature_lengths", "attn_cache", "cache_len", "conv_cache",
        "adapter_down", "adapter_down_bias", "adapter_up", "adapter_up_bias", "head_weight", "head_bias",
    ];

    private readonly OnnxTensor[] _tensors;

    public EncoderInputs(EncoderArchitecture a, int batch, int frames, int seed)
    {
        var random = new Random(seed);
        float[] Random(int count) => [.. Enumerable.Range(0, count).Select(_ => (float)random.NextDouble() - 0.5f)];
        int n = a.NumLayers, d = a.DModel, r = a.AdapterDim, v = a.VocabSize;
        _tensors =
        [
            OnnxTensor.Create(Random(batch * frames * a.NMels), batch, frames, a.NMels),
            OnnxTensor.Create(Enumerable.Repeat((long)frames, batch).ToArray(), batch),
            OnnxTensor.Create(new float[n * batch * a.LeftContextFrames * d], n, batch, a.LeftContextFrames, d),
            OnnxTensor.Create(new long[batch], batch),
            OnnxTensor.Create(new float[n * batch * d * (a.ConvKernel - 1)], n, batch, d, a.ConvKernel - 1),
            OnnxTensor.Create(new float[batch * n * d * r], batch, n, d, r),
            OnnxTensor.Create(new float[batch * n * r], batch, n, r),
            OnnxTensor.Create(new float[batch * n * r * d], batch, n, r, d),
            OnnxTensor.Create(new float[batch * n * d], batch, n, d),
            OnnxTensor.Create(Random(batch * d * v), batch, d, v),
            OnnxTensor.Create(new float[batch * v], batch, v),
        ];
    }

    public static ReadOnlySpan<string> Names => InputNames;

    public ReadOnlySpan<OnnxTensor> Tensors => _tensors;

    public void Dispose()
    {
        foreach (var tensor in _tensors)
        {
            tensor.Dispose();
        }
    }
}
