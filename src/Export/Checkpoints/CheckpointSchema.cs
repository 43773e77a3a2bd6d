using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Export.Checkpoints;

/// <summary>
/// The tensors a checkpoint must hold, checked by name, shape and dtype. Order is not
/// checked: a state dict's order depends on how the training code declares its modules.
/// </summary>
public sealed class CheckpointSchema
{
    private readonly TensorSpec[] _specs;
    private readonly HashSet<string> _names;

    /// <summary>Creates a schema from the expected tensors.</summary>
    /// <exception cref="ArgumentException">Two specs share a name.</exception>
    public CheckpointSchema(IEnumerable<TensorSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        _specs = [.. specs];
        _names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var spec in _specs)
        {
            if (!_names.Add(spec.Name))
            {
                throw new ArgumentException($"The schema lists '{spec.Name}' twice.", nameof(specs));
            }
        }
    }

    /// <summary>The expected tensors, in the order given.</summary>
    public IReadOnlyList<TensorSpec> Specs => _specs;

    /// <summary>
    /// Every mismatch: for each spec in order, missing or wrong shape or wrong dtype; then each
    /// tensor the schema does not list, in checkpoint order. Empty when the checkpoint matches.
    /// </summary>
    public IReadOnlyList<SchemaProblem> Validate(TensorMap tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var problems = new List<SchemaProblem>();
        foreach (var spec in _specs)
        {
            if (!tensors.TryGetValue(spec.Name, out var tensor))
            {
                problems.Add(new(
                    SchemaProblemKind.Missing,
                    spec.Name,
                    $"missing tensor '{spec.Name}' (expected {spec.DType} {TensorShape.Format(spec.Shape.AsSpan())})"));
                continue;
            }

            if (!tensor.Shape.AsSpan().SequenceEqual(spec.Shape.AsSpan()))
            {
                problems.Add(new(
                    SchemaProblemKind.Shape,
                    spec.Name,
                    $"tensor '{spec.Name}': expected shape {TensorShape.Format(spec.Shape.AsSpan())}, found {TensorShape.Format(tensor.Shape.AsSpan())}"));
            }

            if (tensor.DType != spec.DType)
            {
                problems.Add(new(
                    SchemaProblemKind.DType,
                    spec.Name,
                    $"tensor '{spec.Name}': dtype {tensor.DType}, expected {spec.DType}"));
            }
        }

        foreach (var tensor in tensors)
        {
            if (!_names.Contains(tensor.Name))
            {
                problems.Add(new(
                    SchemaProblemKind.Unexpected,
                    tensor.Name,
                    $"unexpected tensor '{tensor.Name}' ({tensor.DType} {TensorShape.Format(tensor.Shape.AsSpan())})"));
            }
        }

        return problems;
    }

    /// <summary>The first mismatch <see cref="Validate"/> would report, or null.</summary>
    public SchemaProblem? FirstProblem(TensorMap tensors)
    {
        var problems = Validate(tensors);
        return problems.Count > 0 ? problems[0] : null;
    }

    /// <summary>Throws when the checkpoint does not match.</summary>
    /// <exception cref="CheckpointSchemaException">Lists every mismatch.</exception>
    public void EnsureValid(TensorMap tensors)
    {
        var problems = Validate(tensors);
        if (problems.Count > 0)
        {
            throw new CheckpointSchemaException(problems);
        }
    }
}
