using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using SpeechServe.Serving.OpenAi;

namespace SpeechServe.Serving.Security;

/// <summary>
/// The per-client rate limit of <c>/v1/*</c>: a token bucket per client holding a minute's permits
/// (<c>Serving:RateLimit:PermitsPerMinute</c>), refilled evenly. A client is its API key when it presents a
/// configured one, otherwise its remote IP address, so that made-up keys cannot open fresh buckets.
/// Refused requests get 429 in OpenAI's error shape (code <c>rate_limit_exceeded</c>) with <c>Retry-After</c>.
/// </summary>
public static partial class ApiRateLimiting
{
    /// <summary>The policy the <c>/v1</c> route group requires.</summary>
    public const string Policy = "v1-per-client";

    /// <summary>The code of the 429 answer.</summary>
    public const string RateLimitExceeded = "rate_limit_exceeded";

    /// <summary>OpenAI's error type for rate limits.</summary>
    public const string RequestsType = "requests";

    /// <summary>Adds the rate limiter with the <see cref="Policy"/> policy.</summary>
    public static IServiceCollection AddApiRateLimiting(this IServiceCollection services) =>
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = RejectAsync;
            options.AddPolicy(Policy, Partition);
        });

    /// <summary>The bucket of one client, or no limiter when the limit is off.</summary>
    public static RateLimitPartition<string> Partition(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var services = context.RequestServices;
        var permits = services.GetRequiredService<IOptions<ApiAccessOptions>>().Value.RateLimit.PermitsPerMinute;
        if (permits <= 0)
        {
            return RateLimitPartition.GetNoLimiter("off");
        }

        var key = services.GetRequiredService<ApiKeyRing>().Identify(ApiCredentials.Presented(context));
        var client = key >= 0
            ? "key:" + key.ToString(CultureInfo.InvariantCulture)
            : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        return RateLimitPartition.GetTokenBucketLimiter(client, _ => BucketFor(permits));
    }

    /// <summary>
    /// A bucket of <paramref name="permitsPerMinute"/> tokens refilled at exactly that rate, in the fewest whole
    /// tokens per period that a period of whole seconds allows (600/min: 10 a second; 100/min: 5 every 3 s).
    /// </summary>
    public static TokenBucketRateLimiterOptions BucketFor(int permitsPerMinute)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(permitsPerMinute);
        var divisor = GreatestCommonDivisor(permitsPerMinute, 60);
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = permitsPerMinute,
            TokensPerPeriod = permitsPerMinute / divisor,
            ReplenishmentPeriod = TimeSpan.FromSeconds(60 / divisor),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 60;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiRateLimiting));
        Log.Limited(logger, http.Request.Method, http.Request.Path.Value ?? "/", seconds);
        var error = OpenAiErrors.Create(
            StatusCodes.Status429TooManyRequests,
            $"Rate limit reached: this client may make {http.RequestServices.GetRequiredService<IOptions<ApiAccessOptions>>().Value.RateLimit.PermitsPerMinute} requests per minute. Retry after {seconds} s.",
            null,
            RateLimitExceeded,
            RequestsType);
        await error.ExecuteAsync(http).ConfigureAwait(false);
    }

    private static int GreatestCommonDivisor(int a, int b) => b == 0 ? a : GreatestCommonDivisor(b, a % b);

    private static partial class Log
    {
        [LoggerMessage(EventId = 61, Level = LogLevel.Debug, Message = "Rate limited {Method} {Path}; retry after {Seconds} s")]
        public static partial void Limited(ILogger logger, string method, string path, int seconds);
    }
}
