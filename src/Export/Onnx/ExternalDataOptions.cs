namespace SpeechServe.Export.Onnx;

/// <summary>
/// How <see cref="OnnxModelFile.Save"/> moves large initializers out of the model file into one
/// data file beside it (ONNX external data), which keeps the model under protobuf's 2 GiB limit
/// and lets a runtime map the weights instead of parsing them.
/// </summary>
public sealed record ExternalDataOptions
{
    /// <summary>Initializers whose data is at least this many bytes go to the data file.</summary>
    public long ThresholdBytes { get; init; } = 1024;

    /// <summary>
    /// Name of the data file, in the model file's directory; by default the model file's name with
    /// <c>.data</c> appended (<c>encoder.onnx.data</c>).
    /// </summary>
    public string? FileName { get; init; }

    /// <summary>Each tensor starts at a multiple of this many bytes, so it can be memory-mapped.</summary>
    public int Alignment { get; init; } = 4096;
}
