namespace SpeechServe.Export.Tests.Onnx;

/// <summary>A concrete tensor fed to, or expected from, a sample graph: float or int64 elements, row-major.</summary>
/// <param name="Name">The graph input or output name.</param>
/// <param name="Shape">The concrete shape (symbolic dimensions resolved).</param>
/// <param name="Floats">Float elements, or <see langword="null"/> for an int64 tensor.</param>
/// <param name="Int64s">Int64 elements, or <see langword="null"/> for a float tensor.</param>
public sealed record SampleTensor(string Name, IReadOnlyList<long> Shape, IReadOnlyList<float>? Floats, IReadOnlyList<long>? Int64s)
{
    /// <summary>A float tensor.</summary>
    public static SampleTensor OfFloats(string name, IReadOnlyList<long> shape, IReadOnlyList<float> values) =>
        new(name, shape, values, null);

    /// <summary>An int64 tensor.</summary>
    public static SampleTensor OfInt64s(string name, IReadOnlyList<long> shape, IReadOnlyList<long> values) =>
        new(name, shape, null, values);
}
