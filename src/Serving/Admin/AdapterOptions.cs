using SpeechServe.Adapters.Loading;
using SpeechServe.Adapters.Packages;

namespace SpeechServe.Serving.Admin;

/// <summary>The adapter store, residency and loading (section <c>Adapters</c>; environment variables <c>Adapters__Key</c>).</summary>
public sealed class AdapterOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Adapters";

    /// <summary>
    /// Directory holding one adapter store per base model (<c>&lt;StorePath&gt;/&lt;model-id&gt;/</c>); when
    /// empty, each model repository's own <c>adapters/</c> directory is its store.
    /// </summary>
    public string? StorePath { get; set; }

    /// <summary>
    /// Npgsql connection string of the PostgreSQL database shared by every replica (docs/scaling.md); when set, the
    /// store directory is this replica's verified cache of it. Empty: the local directory is the store.
    /// </summary>
    public string? DatabaseConnection { get; set; }

    /// <summary>How often a replica reconciles with the database besides its notifications, in seconds.</summary>
    public double ReconcileSeconds { get; set; } = 5;

    /// <summary>Memory budget for resident adapter weights across all models, in bytes; 0 is unlimited. Default 1 GiB.</summary>
    public long MemoryBudgetBytes { get; set; } = 1L << 30;

    /// <summary>Largest package upload, in bytes. Default 64 MiB.</summary>
    public long MaxPackageBytes { get; set; } = AdapterPackageLimits.Default.MaxPackageBytes;

    /// <summary>Longest time one load from the store may take, in seconds.</summary>
    public double LoadTimeoutSeconds { get; set; } = 30;

    /// <summary>Retries of a failed load.</summary>
    public int LoadRetries { get; set; } = 2;

    /// <summary>Failed loads of one version that open its circuit breaker.</summary>
    public int BreakerFailureThreshold { get; set; } = 5;

    /// <summary>How long an open breaker refuses a version, in seconds.</summary>
    public double BreakDurationSeconds { get; set; } = 60;

    /// <summary>The package caps.</summary>
    public AdapterPackageLimits PackageLimits => AdapterPackageLimits.Default with { MaxPackageBytes = MaxPackageBytes };

    /// <summary>The load policies.</summary>
    public AdapterLoadOptions LoadOptions => new()
    {
        AttemptTimeout = TimeSpan.FromSeconds(LoadTimeoutSeconds),
        MaxRetries = LoadRetries,
        BreakerFailureThreshold = BreakerFailureThreshold,
        BreakDuration = TimeSpan.FromSeconds(BreakDurationSeconds),
    };
}
