namespace SpeechServe.Export.Onnx;

/// <summary>
/// Attributes of a <c>Conv</c> node. A <see langword="null"/> list is left out, so the operator's
/// default applies (stride 1, no padding, dilation 1, kernel shape taken from the weights).
/// </summary>
public sealed record ConvOptions
{
    /// <summary>Kernel size per spatial axis.</summary>
    public IReadOnlyList<long>? KernelShape { get; init; }

    /// <summary>Stride per spatial axis.</summary>
    public IReadOnlyList<long>? Strides { get; init; }

    /// <summary>Padding: all the begin values per spatial axis, then all the end values.</summary>
    public IReadOnlyList<long>? Pads { get; init; }

    /// <summary>Dilation per spatial axis.</summary>
    public IReadOnlyList<long>? Dilations { get; init; }

    /// <summary>Number of channel groups; the input and output channels must both divide by it.</summary>
    public long Group { get; init; } = 1;

    /// <summary><c>auto_pad</c>: <c>NOTSET</c>, <c>SAME_UPPER</c>, <c>SAME_LOWER</c> or <c>VALID</c>; <see langword="null"/> leaves it out.</summary>
    public string? AutoPad { get; init; }
}
