namespace SpeechServe.Export.Checkpoints;

/// <summary>On-disk checkpoint formats the exporter reads.</summary>
public enum CheckpointFormat
{
    /// <summary>safetensors: 8-byte header length, JSON header, data buffer.</summary>
    Safetensors,

    /// <summary>TorchSharp's <c>Module.save</c> layout (LEB128 counts, no header).</summary>
    TorchSharp,
}
