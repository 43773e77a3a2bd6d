using SpeechServe.Export.Onnx;
using SpeechServe.Export.Onnx.Proto;

namespace SpeechServe.Export.Tests.Onnx;

/// <summary>Mostly-zero initializers stored as ONNX sparse initializers and read back.</summary>
public sealed class SparseInitializersTests
{
    [Fact]
    public void Sparsify_UnderAThirdNonZero_MovesOnlyThoseTensors()
    {
        var graph = new GraphProto();
        graph.Initializer.Add(TensorProtos.FromFloats("pruned", Elements(16, nonZero: 5), [4, 4]));
        graph.Initializer.Add(TensorProtos.FromFloats("half", Elements(16, nonZero: 8), [16]));
        graph.Initializer.Add(TensorProtos.FromInt64s("shape", new long[12], [12]));

        var moved = SparseInitializers.Sparsify(graph);

        Assert.Equal(1, moved);
        Assert.Equal(["half", "shape"], graph.Initializer.Select(t => t.Name));
        var sparse = Assert.Single(graph.SparseInitializer);
        Assert.Equal(("pruned", 5L, 5L), (sparse.Values.Name, sparse.Values.Dims.Single(), sparse.Indices.Dims.Single()));
        Assert.Equal([4L, 4L], sparse.Dims.ToArray());
        Assert.Equal((int)ElementType.Int64, sparse.Indices.DataType);
    }

    [Fact]
    public void Densify_SparsifiedTensor_GivesBackTheSameBytesNegativeZerosIncluded()
    {
        var elements = Elements(30, nonZero: 6);
        elements[7] = -0f;
        var original = TensorProtos.FromFloats("w", elements, [5, 6]);
        var graph = new GraphProto { Initializer = { original.Clone() } };

        SparseInitializers.Sparsify(graph);
        var dense = SparseInitializers.Densify(graph.SparseInitializer.Single());

        Assert.Equal(7, graph.SparseInitializer.Single().Values.Dims.Single());
        Assert.Equal(original, dense);
    }

    [Fact]
    public void Densify_IndexOutsideTheShape_IsRefused()
    {
        var sparse = new SparseTensorProto
        {
            Values = TensorProtos.FromFloats("w", [1f], [1]),
            Indices = TensorProtos.FromInt64s("w.indices", [4], [1]),
            Dims = { 2, 2 },
        };

        var error = Assert.Throws<InvalidDataException>(() => SparseInitializers.Densify(sparse));

        Assert.Contains("index 4 outside its 4 elements", error.Message, StringComparison.Ordinal);
    }

    /// <summary><paramref name="count"/> floats, the first <paramref name="nonZero"/> at every other position non-zero.</summary>
    private static float[] Elements(int count, int nonZero)
    {
        var elements = new float[count];
        for (var i = 0; i < nonZero; i++)
        {
            elements[2 * i] = i + 0.5f;
        }

        return elements;
    }
}
