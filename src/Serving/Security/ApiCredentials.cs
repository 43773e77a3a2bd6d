namespace SpeechServe.Serving.Security;

/// <summary>
/// Where a request's API key travels: <c>Authorization: Bearer &lt;key&gt;</c>, or, only on endpoints marked
/// with <see cref="ApiKeyQueryParameter"/> (the WebSocket stream, which browsers cannot give headers), the
/// <c>api_key</c> query parameter. The header wins when both are present.
/// </summary>
public static class ApiCredentials
{
    /// <summary>The query parameter that may carry the key on endpoints that allow it.</summary>
    public const string QueryParameter = "api_key";

    /// <summary>The key the request presents, or null when it presents none.</summary>
    public static string? Presented(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (BearerToken.HasAuthorization(context.Request))
        {
            return BearerToken.From(context.Request);
        }

        var endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<ApiKeyQueryParameter>() is not null)
        {
            string? query = context.Request.Query[QueryParameter];
            return string.IsNullOrEmpty(query) ? null : query;
        }

        return null;
    }
}

/// <summary>Endpoint metadata: the endpoint also accepts the API key in the <c>api_key</c> query parameter.</summary>
public sealed class ApiKeyQueryParameter
{
    /// <summary>The one instance.</summary>
    public static ApiKeyQueryParameter Allowed { get; } = new();

    private ApiKeyQueryParameter()
    {
    }
}
