namespace SpeechServe.Serving.Admin;

/// <summary>The admin API (section <c>Admin</c>; environment variable <c>Admin__ApiKey</c>).</summary>
public sealed class AdminOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Admin";

    /// <summary>The bearer token admin requests must carry; without one, the admin API is off.</summary>
    public string? ApiKey { get; set; }
}
