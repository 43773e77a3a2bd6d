using System.Collections;

namespace SpeechServe.Runtime.Onnx;

/// <summary>The output tensors of one run, in the order they were asked for; disposing the results disposes them all.</summary>
public sealed class OnnxRunResults : IReadOnlyList<OnnxTensor>, IDisposable
{
    private readonly string[] _names;
    private readonly OnnxTensor[] _tensors;

    internal OnnxRunResults(string[] names, OnnxTensor[] tensors)
    {
        _names = names;
        _tensors = tensors;
    }

    /// <summary>Number of outputs.</summary>
    public int Count => _tensors.Length;

    /// <summary>Output names, in the same order as the tensors.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>The output at <paramref name="index"/>.</summary>
    public OnnxTensor this[int index] => _tensors[index];

    /// <summary>The output called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No output of that name was asked for.</exception>
    public OnnxTensor this[string name]
    {
        get
        {
            var index = Array.IndexOf(_names, name);
            return index >= 0 ? _tensors[index] : throw new KeyNotFoundException($"No output named '{name}' in these results.");
        }
    }

    /// <inheritdoc />
    public IEnumerator<OnnxTensor> GetEnumerator() => ((IEnumerable<OnnxTensor>)_tensors).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Disposes every output tensor; safe to call more than once.</summary>
    public void Dispose()
    {
        foreach (var tensor in _tensors)
        {
            tensor.Dispose();
        }
    }
}
