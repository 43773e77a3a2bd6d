using SpeechServe.Export.Checkpoints;
using SpeechServe.Runtime.Models;

namespace SpeechServe.Export.Repository;

/// <summary>What <see cref="ModelRepositoryExporter.Export"/> converts, and where to.</summary>
public sealed record ModelExportRequest
{
    /// <summary>The trained checkpoint: base model and any domain adapters.</summary>
    public required string CheckpointPath { get; init; }

    /// <summary>The checkpoint's format, or null to detect it from the content.</summary>
    public CheckpointFormat? Format { get; init; }

    /// <summary>The architecture the checkpoint was trained with.</summary>
    public required EncoderArchitecture Architecture { get; init; }

    /// <summary>A tokens file, or null for the reference vocabulary of docs/model.md.</summary>
    public string? TokensPath { get; init; }

    /// <summary>The model repository directory to create, e.g. <c>models/speechfm-en</c>.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>The model id clients will pass as <c>model</c>.</summary>
    public required string ModelId { get; init; }

    /// <summary>Whether to write <c>encoder.int8.onnx</c> beside the float32 encoder.</summary>
    public bool QuantizeInt8 { get; init; }

    /// <summary>
    /// Whether to store the encoders' mostly-zero float initializers (pruned weights) as ONNX sparse initializers,
    /// which makes the files smaller and leaves what ONNX Runtime computes unchanged (<see cref="Onnx.SparseInitializers"/>).
    /// </summary>
    public bool SparseInitializers { get; init; }

    /// <summary>A word language model to ship as <c>lm.arpa</c> (docs/decoding.md), or null for none.</summary>
    public LanguageModelExport? LanguageModel { get; init; }

    /// <summary>Whether an existing <see cref="OutputDirectory"/> may be replaced.</summary>
    public bool Replace { get; init; }
}
