namespace SpeechServe.Runtime.Tensors;

/// <summary>Limits and checks applied while reading a checkpoint. The defaults suit untrusted input.</summary>
public sealed record CheckpointReadOptions
{
    /// <summary>The defaults.</summary>
    public static CheckpointReadOptions Default { get; } = new();

    /// <summary>Largest file accepted, in bytes. Default: the largest .NET byte array.</summary>
    public long MaxFileBytes { get; init; } = Array.MaxLength;

    /// <summary>safetensors: largest JSON header accepted, in bytes. Default 100 MB.</summary>
    public long MaxHeaderBytes { get; init; } = 100_000_000;

    /// <summary>Most dimensions a tensor may have. Default 8.</summary>
    public int MaxRank { get; init; } = 8;

    /// <summary>Largest single dimension. Default <see cref="int.MaxValue"/>.</summary>
    public long MaxDimension { get; init; } = int.MaxValue;

    /// <summary>Longest tensor name, in UTF-8 bytes. Default 64 KiB.</summary>
    public int MaxNameBytes { get; init; } = 64 * 1024;

    /// <summary>When true, a NaN or infinity in any floating-point tensor is a format error.</summary>
    public bool RequireFiniteFloats { get; init; }
}
