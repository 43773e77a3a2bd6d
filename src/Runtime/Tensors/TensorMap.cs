using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace SpeechServe.Runtime.Tensors;

/// <summary>
/// An ordered, name-unique set of tensors: the state dict of a checkpoint, in file order,
/// with lookup by name.
/// </summary>
public sealed class TensorMap : IReadOnlyList<NamedTensor>
{
    private readonly NamedTensor[] _tensors;
    private readonly Dictionary<string, NamedTensor> _byName;

    /// <summary>Creates a map in the order given.</summary>
    /// <exception cref="ArgumentException">Two tensors share a name.</exception>
    public TensorMap(IEnumerable<NamedTensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        _tensors = [.. tensors];
        _byName = new Dictionary<string, NamedTensor>(_tensors.Length, StringComparer.Ordinal);
        foreach (var tensor in _tensors)
        {
            if (!_byName.TryAdd(tensor.Name, tensor))
            {
                throw new ArgumentException($"Duplicate tensor name '{tensor.Name}'.", nameof(tensors));
            }
        }
    }

    /// <summary>An empty map.</summary>
    public static TensorMap Empty { get; } = new([]);

    /// <inheritdoc/>
    public int Count => _tensors.Length;

    /// <summary>Names in order.</summary>
    public IEnumerable<string> Names => _tensors.Select(t => t.Name);

    /// <inheritdoc/>
    public NamedTensor this[int index] => _tensors[index];

    /// <summary>The tensor called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">There is none.</exception>
    public NamedTensor this[string name] =>
        _byName.TryGetValue(name, out var tensor)
            ? tensor
            : throw new KeyNotFoundException($"No tensor named '{name}'.");

    /// <summary>Looks a tensor up by name.</summary>
    public bool TryGetValue(string name, [MaybeNullWhen(false)] out NamedTensor tensor) =>
        _byName.TryGetValue(name, out tensor);

    /// <summary>True when a tensor is called <paramref name="name"/>.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <inheritdoc/>
    public IEnumerator<NamedTensor> GetEnumerator() => ((IEnumerable<NamedTensor>)_tensors).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
