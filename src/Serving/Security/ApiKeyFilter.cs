using SpeechServe.Serving.OpenAi;

namespace SpeechServe.Serving.Security;

/// <summary>
/// Guards the <c>/v1</c> route group. Without configured API keys every request passes (the API is open);
/// with them, a request must present one of them (<see cref="ApiCredentials"/>), or it gets 401 in OpenAI's
/// error shape with code <c>invalid_api_key</c> before the endpoint runs (so before a WebSocket upgrade).
/// The admin key is not an API key unless it is also listed.
/// </summary>
public sealed partial class ApiKeyFilter(ApiKeyRing keys, ILogger<ApiKeyFilter> logger) : IEndpointFilter
{
    /// <summary>The code of the 401 answer.</summary>
    public const string InvalidApiKey = "invalid_api_key";

    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (!keys.IsEnabled)
        {
            return await next(context).ConfigureAwait(false);
        }

        var http = context.HttpContext;
        var presented = ApiCredentials.Presented(http);
        if (keys.Identify(presented) < 0)
        {
            Log.Refused(logger, http.Request.Method, http.Request.Path.Value ?? "/", presented is null ? "no key" : "a key that is not configured", http.Connection.RemoteIpAddress);
            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"speechserve\"";
            var streaming = http.GetEndpoint()?.Metadata.GetMetadata<ApiKeyQueryParameter>() is not null;
            return OpenAiErrors.Create(
                StatusCodes.Status401Unauthorized,
                (presented is null ? "No API key was sent. " : "The API key is not valid. ")
                + "Send one of the server's API keys as 'Authorization: Bearer <key>' (the api_key of the OpenAI clients)"
                + (streaming ? $", or as the query parameter {ApiCredentials.QueryParameter}=<key> on this WebSocket endpoint." : "."),
                null,
                InvalidApiKey);
        }

        return await next(context).ConfigureAwait(false);
    }

    private static partial class Log
    {
        // Never the key itself: only whether one was sent.
        [LoggerMessage(EventId = 60, Level = LogLevel.Information, Message = "Refused {Method} {Path} from {Remote}: {What}")]
        public static partial void Refused(ILogger logger, string method, string path, string what, System.Net.IPAddress? remote);
    }
}
