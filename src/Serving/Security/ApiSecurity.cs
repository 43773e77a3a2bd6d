using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using SpeechServe.Serving.OpenAi;

namespace SpeechServe.Serving.Security;

/// <summary>
/// Wires the security of the server: API keys and the rate limit on the <c>/v1</c> route group, and Kestrel's
/// request line and header limits (docs/api.md, "Authentication and limits").
/// </summary>
public static class ApiSecurity
{
    /// <summary>Adds the key ring, the rate limiter, Kestrel's limits and their validation.</summary>
    public static IServiceCollection AddApiSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(ServingOptions.Section);
        services.AddOptions<ApiAccessOptions>()
            .Bind(section)
            .Validate(o => o.ApiKeys.All(k => !string.IsNullOrWhiteSpace(k) && k.Trim() == k), "Serving:ApiKeys holds an empty key or one with surrounding spaces; remove it or fix it.")
            .Validate(o => o.RateLimit.PermitsPerMinute >= 0, "Serving:RateLimit:PermitsPerMinute must be 0 (off) or more.")
            .ValidateOnStart();
        services.AddOptions<RequestLimitsOptions>()
            .Bind(section)
            .Validate(
                o => o.MaxRequestHeadersTotalBytes > 0 && o.MaxRequestHeaderCount > 0 && o.MaxRequestLineBytes > 0 && o.RequestHeadersTimeoutSeconds > 0,
                "Serving:MaxRequestHeadersTotalBytes, MaxRequestHeaderCount, MaxRequestLineBytes and RequestHeadersTimeoutSeconds must be positive.")
            .ValidateOnStart();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<RequestLimitsOptions>>((kestrel, options) =>
        {
            var limits = options.Value;
            kestrel.Limits.MaxRequestHeadersTotalSize = limits.MaxRequestHeadersTotalBytes;
            kestrel.Limits.MaxRequestHeaderCount = limits.MaxRequestHeaderCount;
            kestrel.Limits.MaxRequestLineSize = limits.MaxRequestLineBytes;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(limits.RequestHeadersTimeoutSeconds);
        });
        services.AddSingleton<ApiKeyRing>();
        services.AddHostedService<ApiSecurityReport>();
        return services.AddApiRateLimiting();
    }

    /// <summary>The <c>/v1</c> route group, with <see cref="RequireApiAccess{TBuilder}"/>.</summary>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGroup("/v1").RequireApiAccess();

    /// <summary>
    /// API keys (<see cref="ApiKeyFilter"/>), the per-client rate limit (<see cref="ApiRateLimiting"/>), and their
    /// 401 and 429 answers and security requirement in the OpenAPI document: the <c>/v1</c> group's, for an endpoint
    /// outside it.
    /// </summary>
    public static TBuilder RequireApiAccess<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter<TBuilder, ApiKeyFilter>();
        return builder.RequireRateLimiting(ApiRateLimiting.Policy)
            .WithMetadata(
                new ProducesResponseTypeMetadata(StatusCodes.Status401Unauthorized, typeof(OpenAiErrorResponse), ["application/json"]),
                new ProducesResponseTypeMetadata(StatusCodes.Status429TooManyRequests, typeof(OpenAiErrorResponse), ["application/json"]))
            .AddOpenApiOperationTransformer(SecuritySchemes.RequireApiKeyAsync);
    }
}
