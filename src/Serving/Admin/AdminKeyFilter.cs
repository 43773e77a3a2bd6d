using Microsoft.Extensions.Options;
using SpeechServe.Serving.Security;

namespace SpeechServe.Serving.Admin;

/// <summary>
/// Guards the admin route group: without a configured <c>Admin:ApiKey</c> every admin endpoint answers
/// 404 saying how to turn it on; with one, requests need <c>Authorization: Bearer &lt;key&gt;</c>, compared
/// in constant time as API keys are (<see cref="ApiKeyRing"/>).
/// </summary>
public sealed class AdminKeyFilter(IOptions<AdminOptions> options) : IEndpointFilter
{
    private readonly ApiKeyRing _key = string.IsNullOrEmpty(options.Value.ApiKey) ? ApiKeyRing.Of() : ApiKeyRing.Of(options.Value.ApiKey);

    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (!_key.IsEnabled)
        {
            return AdminProblems.Create(
                StatusCodes.Status404NotFound,
                "Admin API disabled",
                "The admin API is off. Set the configuration key Admin:ApiKey (environment variable Admin__ApiKey) to a secret and send it as 'Authorization: Bearer <key>'.",
                "admin_disabled");
        }

        if (_key.Identify(BearerToken.From(context.HttpContext.Request)) < 0)
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer realm=\"speechserve-admin\"";
            return AdminProblems.Create(
                StatusCodes.Status401Unauthorized, "Unauthorized", "Send the admin key as 'Authorization: Bearer <key>'.", "admin_unauthorized");
        }

        return await next(context).ConfigureAwait(false);
    }
}
