namespace SpeechServe.Runtime.Tensors;

/// <summary>One tensor entry of a safetensors header, its offsets relative to the data buffer.</summary>
internal sealed record SafetensorsEntry(string Name, TensorDType DType, long[] Shape, long Begin, long End, int HeaderIndex);
