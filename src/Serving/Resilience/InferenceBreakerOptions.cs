namespace SpeechServe.Serving.Resilience;

/// <summary>
/// When repeated encoder failures open a model's inference circuit breaker (section
/// <c>Serving:InferenceBreaker</c>; environment variables <c>Serving__InferenceBreaker__Key</c>).
/// </summary>
public sealed class InferenceBreakerOptions
{
    /// <summary>Share of failed encoder runs, within <see cref="SamplingDurationSeconds"/>, that opens the breaker. Default 0.5.</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Fewest outcomes (requests, and encoder runs of streams) within the sampling window before the ratio counts (at least 2). Default 5.</summary>
    public int MinimumThroughput { get; set; } = 5;

    /// <summary>The window failures are counted in, in seconds (at least 0.5). Default 30.</summary>
    public double SamplingDurationSeconds { get; set; } = 30;

    /// <summary>How long an open breaker refuses recognition before it lets one trial request through, in seconds (at least 0.5). Default 30.</summary>
    public double BreakSeconds { get; set; } = 30;
}
