using System.Runtime.InteropServices;
using SpeechServe.Export.Onnx.Proto;

namespace SpeechServe.Export.Onnx;

/// <summary>
/// Stores float initializers that are mostly zeros as ONNX sparse initializers (<c>sparse_initializer</c>: the
/// non-zero elements and their row-major linear indices, COO), and turns them back into dense tensors. ONNX Runtime
/// densifies sparse initializers when it loads a model, so the graph computes exactly what it does with the dense
/// tensors; only the file is smaller. ONNX Runtime reads only int64 indices, so a stored element takes 12 bytes
/// against 4 in a dense tensor: a tensor is stored sparse only when that is smaller, with fewer than a third of its
/// elements non-zero (a pruned weight at a sparsity above 67 %). Only +0.0 counts as zero; a -0.0 is stored as a
/// value, so the dense tensor comes back bit for bit.
/// </summary>
public static class SparseInitializers
{
    /// <summary>Moves every float initializer held in <c>raw_data</c> whose sparse form is smaller to <c>sparse_initializer</c>.</summary>
    /// <param name="graph">The graph, changed in place.</param>
    /// <returns>The number of initializers moved.</returns>
    public static int Sparsify(GraphProto graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var moved = graph.Initializer.Where(IsSmallerSparse).ToList();
        foreach (var tensor in moved)
        {
            graph.Initializer.Remove(tensor);
            graph.SparseInitializer.Add(ToSparse(tensor));
        }

        return moved.Count;
    }

    /// <summary>The dense float tensor a sparse initializer written by <see cref="Sparsify"/> stands for.</summary>
    /// <param name="sparse">Float values and int64 linear indices, each in <c>raw_data</c> or its typed field.</param>
    /// <exception cref="InvalidDataException">The sparse tensor is not in that form or its indices do not fit its shape.</exception>
    public static TensorProto Densify(SparseTensorProto sparse)
    {
        ArgumentNullException.ThrowIfNull(sparse);
        var name = sparse.Values?.Name;
        if (sparse.Values is not { DataType: (int)ElementType.Float } values
            || sparse.Indices is not { DataType: (int)ElementType.Int64 } indices || indices.Dims.Count != 1)
        {
            throw new InvalidDataException($"Sparse initializer '{name}' is not float values with one-dimensional int64 indices.");
        }

        ReadOnlySpan<float> elements = values.HasRawData ? MemoryMarshal.Cast<byte, float>(values.RawData.Span) : values.FloatData.ToArray();
        ReadOnlySpan<long> positions = indices.HasRawData ? MemoryMarshal.Cast<byte, long>(indices.RawData.Span) : indices.Int64Data.ToArray();
        var dense = new float[TensorProtos.ElementCount(sparse.Dims.ToArray())];
        if (positions.Length != elements.Length)
        {
            throw new InvalidDataException($"Sparse initializer '{name}' has {elements.Length} values but {positions.Length} indices.");
        }

        for (var i = 0; i < positions.Length; i++)
        {
            if ((ulong)positions[i] >= (ulong)dense.Length)
            {
                throw new InvalidDataException($"Sparse initializer '{name}' has index {positions[i]} outside its {dense.Length} elements.");
            }

            dense[positions[i]] = elements[i];
        }

        return TensorProtos.FromFloats(name!, dense, sparse.Dims.ToArray());
    }

    private static bool IsSmallerSparse(TensorProto tensor) =>
        tensor.DataType == (int)ElementType.Float && tensor.HasRawData
        && 3L * NonZeroCount(Elements(tensor)) < Elements(tensor).Length;

    private static SparseTensorProto ToSparse(TensorProto tensor)
    {
        var elements = Elements(tensor);
        var values = new float[NonZeroCount(elements)];
        var positions = new long[values.Length];
        var next = 0;
        for (var i = 0; i < elements.Length; i++)
        {
            if (!IsPositiveZero(elements[i]))
            {
                values[next] = elements[i];
                positions[next++] = i;
            }
        }

        var sparse = new SparseTensorProto
        {
            Values = TensorProtos.FromFloats(tensor.Name, values, [values.Length]),
            Indices = TensorProtos.FromInt64s(tensor.Name + ".indices", positions, [positions.Length]),
        };
        sparse.Dims.AddRange(tensor.Dims);
        return sparse;
    }

    private static ReadOnlySpan<float> Elements(TensorProto tensor) => MemoryMarshal.Cast<byte, float>(tensor.RawData.Span);

    private static int NonZeroCount(ReadOnlySpan<float> elements)
    {
        var count = 0;
        foreach (var element in elements)
        {
            count += IsPositiveZero(element) ? 0 : 1;
        }

        return count;
    }

    private static bool IsPositiveZero(float value) => BitConverter.SingleToInt32Bits(value) == 0;
}
