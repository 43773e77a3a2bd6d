namespace SpeechServe.Export.Merging;

/// <summary>What <see cref="AttentionMergeExporter.Export"/> merges, and where the new repository goes.</summary>
public sealed record AttentionMergeRequest
{
    /// <summary>The source model repository (<c>models/&lt;id&gt;</c>); it is only read.</summary>
    public required string ModelDirectory { get; init; }

    /// <summary>The text model's merged tensors: <c>text_attention.safetensors</c> of <c>training/train_text_attention.py</c>.</summary>
    public required string TextAttentionPath { get; init; }

    /// <summary>The merge factor <c>a</c>, 0 to 1.</summary>
    public required double Factor { get; init; }

    /// <summary>The encoder layers to merge: <c>all</c> (or null) or comma-separated 0-based indices.</summary>
    public string? Layers { get; init; }

    /// <summary>The model repository directory to create.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>The new model's id.</summary>
    public required string ModelId { get; init; }

    /// <summary>Whether an existing <see cref="OutputDirectory"/> may be replaced.</summary>
    public bool Replace { get; init; }
}
