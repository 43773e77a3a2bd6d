namespace SpeechServe.Adapters.Loading;

/// <summary>How loading a version from the store is retried and when it is given up on.</summary>
public sealed record AdapterLoadOptions
{
    /// <summary>Longest time one load attempt may take. Default 30 s.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after a failed attempt (I/O error or timeout; a package that fails its checks is not retried). Default 2.</summary>
    public int MaxRetries { get; init; } = 2;

    /// <summary>Delay before the first retry; later retries back off exponentially. Default 200 ms.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Failed attempts of one version, within <see cref="BreakerSamplingDuration"/>, that open its circuit. Default 5.</summary>
    public int BreakerFailureThreshold { get; init; } = 5;

    /// <summary>The window the breaker counts failures in. Default 5 minutes.</summary>
    public TimeSpan BreakerSamplingDuration { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an open circuit refuses loads of the version before trying again. Default 1 minute.</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromMinutes(1);
}
