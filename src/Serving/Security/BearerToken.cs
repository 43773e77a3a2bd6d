namespace SpeechServe.Serving.Security;

/// <summary>Reads the credentials of <c>Authorization: Bearer &lt;token&gt;</c>, the header of API and admin keys alike.</summary>
public static class BearerToken
{
    private const string Scheme = "Bearer ";

    /// <summary>Whether the request has an <c>Authorization</c> header, of any scheme.</summary>
    public static bool HasAuthorization(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Headers.Authorization.ToString().Length > 0;
    }

    /// <summary>The bearer token of <paramref name="request"/>, or null when it has none or another scheme.</summary>
    public static string? From(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? header[Scheme.Length..].Trim() : null;
    }
}
