namespace SpeechServe.Export.Onnx;

/// <summary>
/// A named value of a graph under construction: a graph input, an initializer or a node output.
/// <see cref="OnnxGraphBuilder"/> hands these out; pass them back as node inputs and graph outputs.
/// </summary>
/// <param name="Name">The value's name in the graph.</param>
public readonly record struct GraphValue(string Name)
{
    /// <summary>
    /// The placeholder for an optional node input that is not supplied (ONNX's empty input name).
    /// </summary>
    public static GraphValue Absent { get; } = new(string.Empty);

    /// <summary>Whether this is <see cref="Absent"/>.</summary>
    public bool IsAbsent => string.IsNullOrEmpty(Name);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
