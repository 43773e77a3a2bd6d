using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Runtime.Encoder;

/// <summary>
/// Builds <see cref="AdapterWeights"/> from tensors in the checkpoint layout (docs/model.md): PyTorch
/// <c>Linear</c> weights <c>[out, in]</c>, transposed here into the graph's <c>x @ W</c> layout.
/// </summary>
public static class AdapterWeightsReader
{
    /// <summary>The base model: identity adapters and the head <c>ctc.weight</c>, <c>ctc.bias</c>.</summary>
    /// <exception cref="InvalidDataException">A tensor is missing or has the wrong shape; the message names it.</exception>
    public static AdapterWeights ReadBase(EncoderArchitecture architecture, TensorMap tensors)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        var (head, headBias) = ReadHead(architecture, tensors, "ctc");
        return AdapterWeights.Identity(architecture, head, headBias);
    }

    /// <summary>The adapter stored under <c>adapters.{domain}.*</c>.</summary>
    /// <exception cref="InvalidDataException">A tensor is missing, has the wrong shape, or holds a non-finite value; the message names it.</exception>
    public static AdapterWeights ReadDomain(EncoderArchitecture architecture, TensorMap tensors, string domain)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        var (n, d, r) = (architecture.NumLayers, architecture.DModel, architecture.AdapterDim);
        var prefix = $"adapters.{domain}.";
        var down = new float[n * d * r];
        var downBias = new float[n * r];
        var up = new float[n * r * d];
        var upBias = new float[n * d];
        for (var layer = 0; layer < n; layer++)
        {
            var layerPrefix = $"{prefix}layers.{layer}.";
            Transpose(Read(tensors, layerPrefix + "down.weight", r, d), r, d, down.AsSpan(layer * d * r, d * r));
            Read(tensors, layerPrefix + "down.bias", r).CopyTo(downBias.AsSpan(layer * r));
            Transpose(Read(tensors, layerPrefix + "up.weight", d, r), d, r, up.AsSpan(layer * r * d, r * d));
            Read(tensors, layerPrefix + "up.bias", d).CopyTo(upBias.AsSpan(layer * d));
        }

        var (head, headBias) = ReadHead(architecture, tensors, prefix + "ctc");
        return AdapterWeights.Create(architecture, down, downBias, up, upBias, head, headBias);
    }

    private static (float[] Head, float[] Bias) ReadHead(EncoderArchitecture architecture, TensorMap tensors, string name)
    {
        var (d, v) = (architecture.DModel, architecture.VocabSize);
        var head = new float[d * v];
        Transpose(Read(tensors, name + ".weight", v, d), v, d, head);
        return (head, Read(tensors, name + ".bias", v));
    }

    private static float[] Read(TensorMap tensors, string name, params long[] shape)
    {
        if (!tensors.TryGetValue(name, out var tensor))
        {
            throw new InvalidDataException($"missing tensor '{name}' (expected Float32 {TensorShape.Format(shape)})");
        }

        if (tensor.DType != TensorDType.Float32 || !tensor.Shape.AsSpan().SequenceEqual(shape))
        {
            throw new InvalidDataException(
                $"tensor '{name}': expected Float32 {TensorShape.Format(shape)}, found {tensor.DType} {TensorShape.Format(tensor.Shape.ToArray())}");
        }

        var values = tensor.ToFloat32();
        if (Array.FindIndex(values, v => !float.IsFinite(v)) is var bad and >= 0)
        {
            throw new InvalidDataException($"tensor '{name}': value {bad} is {values[bad]}; every value must be finite");
        }

        return values;
    }

    private static void Transpose(ReadOnlySpan<float> source, int rows, int columns, Span<float> target)
    {
        for (var row = 0; row < rows; row++)
        {
            for (var column = 0; column < columns; column++)
            {
                target[(column * rows) + row] = source[(row * columns) + column];
            }
        }
    }
}
