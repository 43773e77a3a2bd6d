namespace SpeechServe.Export.Onnx;

/// <summary>
/// One dimension of a declared tensor shape: a fixed size, or a symbolic name such as
/// <c>"batch"</c> that stands for a size known only at run time. Integers and strings convert
/// implicitly, so a shape reads <c>["batch", "time", 80]</c>.
/// </summary>
public readonly record struct Dimension
{
    private Dimension(long? size, string? symbol)
    {
        Size = size;
        Symbol = symbol;
    }

    /// <summary>The fixed size, or <see langword="null"/> for a symbolic dimension.</summary>
    public long? Size { get; }

    /// <summary>The symbolic name, or <see langword="null"/> for a fixed dimension.</summary>
    public string? Symbol { get; }

    /// <summary>A dimension of fixed, non-negative size.</summary>
    /// <param name="size">The size.</param>
    public static Dimension Fixed(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return new Dimension(size, null);
    }

    /// <summary>A symbolic dimension; dimensions with the same name have the same size.</summary>
    /// <param name="name">The symbol, e.g. <c>"batch"</c>.</param>
    public static Dimension Symbolic(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new Dimension(null, name);
    }

    /// <summary>Converts a size to a fixed dimension.</summary>
    /// <param name="size">The size.</param>
    public static implicit operator Dimension(long size) => Fixed(size);

    /// <summary>Converts a name to a symbolic dimension.</summary>
    /// <param name="name">The symbol.</param>
    public static implicit operator Dimension(string name) => Symbolic(name);

    /// <inheritdoc/>
    public override string ToString() => Symbol ?? Size?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";
}
