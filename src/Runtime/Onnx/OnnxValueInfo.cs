namespace SpeechServe.Runtime.Onnx;

/// <summary>Name, kind, element type and shape of a model input or output, as the loaded model declares them.</summary>
public sealed class OnnxValueInfo
{
    internal OnnxValueInfo(
        string name, OnnxValueType valueType, TensorElementType elementType, long[] shape, string[] symbolicDimensions)
    {
        Name = name;
        ValueType = valueType;
        ElementType = elementType;
        Shape = shape;
        SymbolicDimensions = symbolicDimensions;
    }

    /// <summary>The input or output name.</summary>
    public string Name { get; }

    /// <summary>Kind of value (a tensor for everything this binding runs).</summary>
    public OnnxValueType ValueType { get; }

    /// <summary>Element type of a tensor; <see cref="TensorElementType.Undefined"/> for other kinds.</summary>
    public TensorElementType ElementType { get; }

    /// <summary>Declared dimensions; -1 where a dimension is dynamic (see <see cref="SymbolicDimensions"/>).</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>Symbolic name of each dimension, such as <c>batch</c>; an empty string where a dimension has none.</summary>
    public IReadOnlyList<string> SymbolicDimensions { get; }

    /// <summary>Describes the value as <c>name: Float[batch,4]</c>.</summary>
    public override string ToString()
    {
        var dims = Shape.Select((d, i) => d >= 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : SymbolicDimensions[i].Length > 0 ? SymbolicDimensions[i] : "?");
        return ValueType == OnnxValueType.Tensor ? $"{Name}: {ElementType}[{string.Join(',', dims)}]" : $"{Name}: {ValueType}";
    }
}
