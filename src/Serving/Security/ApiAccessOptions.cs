namespace SpeechServe.Serving.Security;

/// <summary>
/// Who may call <c>/v1/*</c> and how often (section <c>Serving</c>: <c>Serving:ApiKeys</c>, environment
/// variables <c>Serving__ApiKeys__0</c>, <c>Serving__ApiKeys__1</c>, ...; <c>Serving:RateLimit:PermitsPerMinute</c>).
/// </summary>
public sealed class ApiAccessOptions
{
    /// <summary>The bearer keys <c>/v1/*</c> accepts; none configured leaves <c>/v1</c> open.</summary>
    public IList<string> ApiKeys { get; } = [];

    /// <summary>The per-client rate limit of <c>/v1/*</c>.</summary>
    public ApiRateLimitOptions RateLimit { get; set; } = new();
}

/// <summary>The per-client rate limit of <c>/v1/*</c> (section <c>Serving:RateLimit</c>).</summary>
public sealed class ApiRateLimitOptions
{
    /// <summary>
    /// Requests a client may make per minute; 0 (the default) turns the limit off. A client may spend a whole
    /// minute's permits at once; they come back evenly over the minute.
    /// </summary>
    public int PermitsPerMinute { get; set; }
}
