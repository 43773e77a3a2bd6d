using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Export.Checkpoints;

/// <summary>A checkpoint as read: its format, its tensors in file order, and any metadata.</summary>
/// <param name="Format">The format it was read as.</param>
/// <param name="Tensors">The state dict, in file order.</param>
/// <param name="Metadata">safetensors <c>__metadata__</c>; always empty for TorchSharp checkpoints.</param>
public sealed record Checkpoint(CheckpointFormat Format, TensorMap Tensors, IReadOnlyDictionary<string, string> Metadata);
