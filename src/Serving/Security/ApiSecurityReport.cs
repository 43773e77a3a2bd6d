using Microsoft.Extensions.Options;

namespace SpeechServe.Serving.Security;

/// <summary>Says at start-up how <c>/v1</c> is protected (how many keys, never the keys) and how it is limited.</summary>
internal sealed partial class ApiSecurityReport(ApiKeyRing keys, IOptions<ApiAccessOptions> access, IOptions<RequestLimitsOptions> limits, ILogger<ApiSecurityReport> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (keys.IsEnabled)
        {
            Log.KeysRequired(logger, keys.Count);
        }
        else
        {
            Log.Open(logger);
        }

        var permits = access.Value.RateLimit.PermitsPerMinute;
        if (permits > 0)
        {
            Log.RateLimited(logger, permits);
        }

        var l = limits.Value;
        Log.RequestLimits(logger, l.MaxRequestLineBytes, l.MaxRequestHeadersTotalBytes, l.MaxRequestHeaderCount);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = 62, Level = LogLevel.Information, Message = "/v1 requires an API key ({Count} configured)")]
        public static partial void KeysRequired(ILogger logger, int count);

        [LoggerMessage(EventId = 63, Level = LogLevel.Information, Message = "/v1 is open: no API keys are configured (Serving:ApiKeys)")]
        public static partial void Open(ILogger logger);

        [LoggerMessage(EventId = 64, Level = LogLevel.Information, Message = "/v1 is limited to {Permits} requests per minute per client")]
        public static partial void RateLimited(ILogger logger, int permits);

        [LoggerMessage(EventId = 65, Level = LogLevel.Debug, Message = "Request limits: request line {Line} bytes, headers {Headers} bytes, {Count} headers")]
        public static partial void RequestLimits(ILogger logger, int line, int headers, int count);
    }
}
