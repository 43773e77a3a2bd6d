namespace SpeechServe.Runtime.Tensors;

/// <summary>The contents of a safetensors file: tensors in data order and the free-form metadata.</summary>
/// <param name="Tensors">Tensors ordered by their position in the data buffer.</param>
/// <param name="Metadata">The <c>__metadata__</c> object, empty when absent.</param>
public sealed record SafetensorsFile(TensorMap Tensors, IReadOnlyDictionary<string, string> Metadata);
