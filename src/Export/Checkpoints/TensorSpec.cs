using System.Collections.Immutable;
using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Export.Checkpoints;

/// <summary>One tensor a checkpoint is expected to hold: its name, shape and dtype.</summary>
public sealed class TensorSpec
{
    /// <summary>Creates a spec.</summary>
    public TensorSpec(string name, ReadOnlySpan<long> shape, TensorDType dtype = TensorDType.Float32)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!TensorShape.TryGetElementCount(shape, out var count))
        {
            throw new ArgumentException($"Tensor '{name}': shape {TensorShape.Format(shape)} is invalid.", nameof(shape));
        }

        Name = name;
        Shape = ImmutableArray.Create(shape);
        DType = dtype;
        ElementCount = count;
    }

    /// <summary>State-dict name.</summary>
    public string Name { get; }

    /// <summary>Expected dimensions.</summary>
    public ImmutableArray<long> Shape { get; }

    /// <summary>Expected dtype.</summary>
    public TensorDType DType { get; }

    /// <summary>Product of the dimensions.</summary>
    public long ElementCount { get; }

    /// <summary>E.g. <c>layers.0.attn.q.weight: Float32 [192,192]</c>.</summary>
    public override string ToString() => $"{Name}: {DType} {TensorShape.Format(Shape.AsSpan())}";
}
