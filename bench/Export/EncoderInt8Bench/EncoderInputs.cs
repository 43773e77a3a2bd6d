using Microsoft.ML.OnnxRuntime;
using SpeechServe.Runtime.Models;

namespace SpeechServe.Bench.Export;

/// <summary>
/// One batch of encoder inputs, built once and fed unchanged to every run: seeded random features, empty
/// caches, identity adapters and a random head (the head's values do not change the cost).
/// </summary>
internal sealed class EncoderInputs : IDisposable
{
    private readonly OrtValue[] _tensors;

    public EncoderInputs(EncoderArchitecture a, int batch, int frames, int seed)
    {
        var random = new Random(seed);
        float[] Random(int count) => [.. Enumerable.Range(0, count).Select(_ => (float)random.NextDouble() - 0.5f)];
        int n = a.NumLayers, d = a.DModel, r = a.AdapterDim, v = a.VocabSize;
        _tensors =
        [
            OrtValue.CreateTensorValueFromMemory(Random(batch * frames * a.NMels), [batch, frames, a.NMels]),
            OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat((long)frames, batch).ToArray(), [batch]),
            OrtValue.CreateTensorValueFromMemory(new float[n * batch * a.LeftContextFrames * d], [n, batch, a.LeftContextFrames, d]),
            OrtValue.CreateTensorValueFromMemory(new long[batch], [batch]),
            OrtValue.CreateTensorValueFromMemory(new float[n * batch * d * (a.ConvKernel - 1)], [n, batch, d, a.ConvKernel - 1]),
            OrtValue.CreateTensorValueFromMemory(new float[batch * n * d * r], [batch, n, d, r]),
            OrtValue.CreateTensorValueFromMemory(new float[batch * n * r], [batch, n, r]),
            OrtValue.CreateTensorValueFromMemory(new float[batch * n * r * d], [batch, n, r, d]),
            OrtValue.CreateTensorValueFromMemory(new float[batch * n * d], [batch, n, d]),
            OrtValue.CreateTensorValueFromMemory(Random(batch * d * v), [batch, d, v]),
            OrtValue.CreateTensorValueFromMemory(new float[batch * v], [batch, v]),
        ];
    }

    public IReadOnlyCollection<OrtValue> Tensors => _tensors;

    public void Dispose()
    {
        foreach (var tensor in _tensors)
        {
            tensor.Dispose();
        }
    }
}
