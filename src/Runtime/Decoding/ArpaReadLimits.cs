namespace SpeechServe.Runtime.Decoding;

/// <summary>
/// Bounds on an ARPA file: it comes from a model repository, not from clients, but a damaged or wrong file
/// should be refused with a reason before it fills the memory.
/// </summary>
public sealed record ArpaReadLimits
{
    /// <summary>Largest file in bytes (1 GiB; a pruned word 4-gram model for speech is tens of megabytes).</summary>
    public long MaxBytes { get; init; } = 1L << 30;

    /// <summary>Highest n-gram order.</summary>
    public int MaxOrder { get; init; } = 10;

    /// <summary>Most n-grams of all orders together, as the <c>\data\</c> counts declare them.</summary>
    public long MaxNgrams { get; init; } = 20_000_000;
}
