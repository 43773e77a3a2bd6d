namespace SpeechServe.Export.SherpaOnnx;

/// <summary>What <see cref="SherpaOnnxExporter.Export"/> converts, and where to.</summary>
public sealed record SherpaOnnxExportRequest
{
    /// <summary>
    /// The gain applied to sherpa-onnx's normalised samples by default: 0.09, the median RMS level of
    /// espeak-ng speech at 16 kHz (0.080 to 0.100 over 15 sentences in 5 voices), the speech the reference
    /// model was trained on.
    /// </summary>
    public const float DefaultInputGain = 0.09f;

    /// <summary>The model repository to convert, e.g. <c>models/speechfm-en-small</c>.</summary>
    public required string ModelDirectory { get; init; }

    /// <summary>The directory to create with <c>model.onnx</c> and <c>tokens.txt</c>.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>An adapter of the repository's store to fold in (its newest version), or null for the base model.</summary>
    public string? Adapter { get; init; }

    /// <summary>
    /// The factor the graph multiplies its input samples by. sherpa-onnx scales each utterance to unit
    /// variance before the model sees it; this puts it back to a typical speech level.
    /// </summary>
    public float InputGain { get; init; } = DefaultInputGain;

    /// <summary>Whether an existing <see cref="OutputDirectory"/> may be replaced.</summary>
    public bool Replace { get; init; }
}
