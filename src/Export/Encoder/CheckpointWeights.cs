using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Export.Encoder;

/// <summary>
/// A checkpoint's float32 weights by state-dict name (the encoder's base model, or a translation decoder),
/// already checked against their schema, with the layout changes the graph needs (PyTorch's
/// <c>[out, in]</c> Linear and kernel-1 Conv1d weights transposed to <c>[in, out]</c> for MatMul).
/// </summary>
public sealed class CheckpointWeights
{
    private readonly IReadOnlyDictionary<string, float[]> _values;

    /// <summary>Wraps weights by name; every tensor the graph asks for must be present.</summary>
    /// <param name="values">Row-major float32 elements by state-dict name.</param>
    public CheckpointWeights(IReadOnlyDictionary<string, float[]> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = values;
    }

    /// <summary>The base model's tensors of a checkpoint (every name outside <c>adapters.*</c>), as float32.</summary>
    /// <param name="tensors">A state dict already checked against the schema.</param>
    public static CheckpointWeights FromCheckpoint(TensorMap tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        return FromTensors(tensors.Where(t => !t.Name.StartsWith("adapters.", StringComparison.Ordinal)));
    }

    /// <summary>Every one of <paramref name="tensors"/>, as float32.</summary>
    /// <param name="tensors">Tensors already checked against their schema.</param>
    public static CheckpointWeights FromTensors(IEnumerable<NamedTensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        return new CheckpointWeights(tensors.ToDictionary(t => t.Name, t => t.ToFloat32(), StringComparer.Ordinal));
    }

    /// <summary>The elements of tensor <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">There is no such tensor.</exception>
    public float[] Get(string name) =>
        _values.TryGetValue(name, out var values)
            ? values
            : throw new KeyNotFoundException($"The checkpoint has no tensor '{name}'.");

    /// <summary>
    /// A Linear layer (or a kernel-1 Conv1d) at <paramref name="prefix"/> as a MatMul operand:
    /// <c>prefix.weight</c> <c>[out, in(, 1)]</c> transposed to <c>[in, out]</c>, and <c>prefix.bias</c>.
    /// </summary>
    /// <param name="prefix">E.g. <c>layers.0.ff1.linear1</c>.</param>
    /// <param name="inputs">Input width.</param>
    /// <param name="outputs">Output width.</param>
    public LinearWeights Linear(string prefix, int inputs, int outputs)
    {
        var weight = Get(prefix + ".weight");
        var bias = Get(prefix + ".bias");
        Require(prefix + ".weight", weight, inputs * outputs);
        Require(prefix + ".bias", bias, outputs);
        var transposed = new float[weight.Length];
        for (var o = 0; o < outputs; o++)
        {
            for (var i = 0; i < inputs; i++)
            {
                transposed[(i * outputs) + o] = weight[(o * inputs) + i];
            }
        }

        return new LinearWeights(prefix, transposed, bias, inputs, outputs);
    }

    /// <summary>
    /// A Conv1d with kernel = stride = <paramref name="kernel"/> at <paramref name="prefix"/> as a
    /// MatMul over <paramref name="kernel"/> consecutive frames flattened time-major: weight
    /// <c>[out, in, kernel]</c> becomes <c>[kernel * in, out]</c> with row <c>k * in + c</c>.
    /// </summary>
    /// <param name="prefix">E.g. <c>subsample.conv1</c>.</param>
    /// <param name="inputs">Input channels.</param>
    /// <param name="outputs">Output channels.</param>
    /// <param name="kernel">Kernel size, equal to the stride.</param>
    public LinearWeights StridedConv(string prefix, int inputs, int outputs, int kernel)
    {
        var weight = Get(prefix + ".weight");
        var bias = Get(prefix + ".bias");
        Require(prefix + ".weight", weight, outputs * inputs * kernel);
        Require(prefix + ".bias", bias, outputs);
        var matrix = new float[weight.Length];
        for (var o = 0; o < outputs; o++)
        {
            for (var c = 0; c < inputs; c++)
            {
                for (var k = 0; k < kernel; k++)
                {
                    matrix[(((k * inputs) + c) * outputs) + o] = weight[(((o * inputs) + c) * kernel) + k];
                }
            }
        }

        return new LinearWeights(prefix, matrix, bias, kernel * inputs, outputs);
    }

    private static void Require(string name, float[] values, int count)
    {
        if (values.Length != count)
        {
            throw new InvalidDataException($"tensor '{name}': expected {count} elements, found {values.Length}.");
        }
    }
}

/// <summary>A Linear layer ready for <c>MatMul</c>: <c>y = x @ WeightT + Bias</c>.</summary>
/// <param name="Name">Checkpoint prefix, used to name initializers.</param>
/// <param name="WeightT">Row-major <c>[Inputs, Outputs]</c>.</param>
/// <param name="Bias"><c>[Outputs]</c>.</param>
/// <param name="Inputs">Input width K.</param>
/// <param name="Outputs">Output width N.</param>
public sealed record LinearWeights(string Name, float[] WeightT, float[] Bias, int Inputs, int Outputs)
{
    /// <summary>The same layer with weights and bias multiplied by <paramref name="factor"/>.</summary>
    public LinearWeights Scaled(float factor) =>
        this with { WeightT = [.. WeightT.Select(w => w * factor)], Bias = [.. Bias.Select(b => b * factor)] };
}
