namespace SpeechServe.Serving.Security;

/// <summary>
/// Kestrel's limits on the request line and headers, set explicitly from configuration (section
/// <c>Serving</c>). The defaults are Kestrel's own; body sizes are limited per endpoint
/// (<c>Serving:MaxBodyBytes</c>, <c>Adapters:MaxPackageBytes</c>).
/// </summary>
public sealed class RequestLimitsOptions
{
    /// <summary>Largest total size of the request headers in bytes; over it, 431.</summary>
    public int MaxRequestHeadersTotalBytes { get; set; } = 32 * 1024;

    /// <summary>Most request headers; over it, 431.</summary>
    public int MaxRequestHeaderCount { get; set; } = 100;

    /// <summary>Longest request line (method, target and version) in bytes; over it, 414.</summary>
    public int MaxRequestLineBytes { get; set; } = 8 * 1024;

    /// <summary>Longest time a client may take to send the request headers, in seconds; over it, 408.</summary>
    public double RequestHeadersTimeoutSeconds { get; set; } = 30;
}
