namespace SpeechServe.Adapters.Packages;

/// <summary>Caps applied to an uploaded adapter package before anything is decompressed or stored.</summary>
public sealed record AdapterPackageLimits
{
    /// <summary>The defaults (docs/adapters.md, "Limits").</summary>
    public static AdapterPackageLimits Default { get; } = new();

    /// <summary>Largest zip accepted, in bytes. Default 64 MiB.</summary>
    public long MaxPackageBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Most entries in the archive. Default 8.</summary>
    public int MaxEntries { get; init; } = 8;

    /// <summary>Largest total uncompressed size of the entries, in bytes. Default 256 MiB.</summary>
    public long MaxUncompressedBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Largest uncompressed/compressed ratio of an entry. Default 100.</summary>
    public double MaxCompressionRatio { get; init; } = 100;

    /// <summary>Entries up to this uncompressed size are exempt from the ratio check (small JSON compresses well). Default 64 KiB.</summary>
    public long RatioExemptBytes { get; init; } = 64 * 1024;
}
