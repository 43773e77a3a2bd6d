using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace SpeechServe.Serving.Admin;

/// <summary>
/// Guards the admin route group: without a configured <c>Admin:ApiKey</c> every admin endpoint answers
/// 404 saying how to turn it on; with one, requests need <c>Authorization: Bearer &lt;key&gt;</c>, compared
/// in constant time (hashes of equal length, so not even the key's length leaks).
/// </summary>
public sealed class AdminKeyFilter(IOptions<AdminOptions> options) : IEndpointFilter
{
    private const string Scheme = "Bearer ";

    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var key = options.Value.ApiKey;
        if (string.IsNullOrEmpty(key))
        {
            return AdminProblems.Create(
                StatusCodes.Status404NotFound,
                "Admin API disabled",
                "The admin API is off. Set the configuration key Admin:ApiKey (environment variable Admin__ApiKey) to a secret and send it as 'Authorization: Bearer <key>'.",
                "admin_disabled");
        }

        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        var presented = header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? header[Scheme.Length..].Trim() : string.Empty;
        if (!Matches(presented, key))
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer realm=\"speechserve-admin\"";
            return AdminProblems.Create(
                StatusCodes.Status401Unauthorized, "Unauthorized", "Send the admin key as 'Authorization: Bearer <key>'.", "admin_unauthorized");
        }

        return await next(context).ConfigureAwait(false);
    }

    private static bool Matches(string presented, string key) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
