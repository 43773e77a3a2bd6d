using Microsoft.AspNetCore.Routing.Matching;

namespace SpeechServe.Serving.Streaming;

/// <summary>
/// Marks an endpoint that matches only WebSocket upgrade requests, so that it can share a path with static
/// files: sherpa-onnx's protocol on <c>/</c>, where a plain GET gets the browser page.
/// </summary>
internal sealed class WebSocketUpgradeOnly
{
    /// <summary>The marker.</summary>
    public static WebSocketUpgradeOnly Instance { get; } = new();
}

/// <summary>Drops <see cref="WebSocketUpgradeOnly"/> endpoints from the candidates of requests that are not WebSocket upgrades.</summary>
internal sealed class WebSocketUpgradeMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    /// <inheritdoc />
    public override int Order => 0;

    /// <inheritdoc />
    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
        endpoints.Any(e => e.Metadata.GetMetadata<WebSocketUpgradeOnly>() is not null);

    /// <inheritdoc />
    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(candidates);

        // Routing runs before the WebSockets middleware, so its feature is not there yet: read the header.
        if (string.Equals(httpContext.Request.Headers.Upgrade, "websocket", StringComparison.OrdinalIgnoreCase))
        {
            return Task.CompletedTask;
        }

        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates[i].Endpoint.Metadata.GetMetadata<WebSocketUpgradeOnly>() is not null)
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }
}
