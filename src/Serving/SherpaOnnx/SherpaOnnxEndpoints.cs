using Microsoft.Extensions.DependencyInjection.Extensions;
using SpeechServe.Runtime.Audio;
using SpeechServe.Serving.Security;
using SpeechServe.Serving.Streaming;

namespace SpeechServe.Serving.SherpaOnnx;

/// <summary>
/// sherpa-onnx's online WebSocket server protocol on a WebSocket upgrade of <c>/</c>, so that its clients work
/// unchanged (docs/streaming.md, "sherpa-onnx clients"): the same sessions, limits and errors as
/// <c>/v1/audio/stream</c>, with float32 frames by default and sherpa-onnx's messages.
/// </summary>
public static class SherpaOnnxEndpoints
{
    private static readonly StreamProtocol Protocol = new(SampleEncoding.IeeeFloat32, served => new SherpaOnnxStreamFormat(served.Model.Vocabulary));

    /// <summary>Registers the routing policy that keeps plain GETs of <c>/</c> for the browser page.</summary>
    public static IServiceCollection AddSherpaOnnxStreaming(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, WebSocketUpgradeMatcherPolicy>());
        return services;
    }

    /// <summary>Maps the endpoint with the API keys (header or <c>api_key</c> query) and rate limit of <c>/v1</c>.</summary>
    public static IEndpointRouteBuilder MapSherpaOnnxStreaming(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", (HttpContext context, StreamingServices services) => StreamingEndpoints.StreamAsync(context, services, Protocol))
            .WithName("SherpaOnnxStream")
            .WithMetadata(WebSocketUpgradeOnly.Instance, ApiKeyQueryParameter.Allowed)
            .WithTags("Audio")
            .RequireApiAccess()
            .DescribeWebSocket(
                "Streaming transcription over WebSocket, sherpa-onnx's online server protocol.",
                "Only a WebSocket upgrade reaches this operation; a plain GET of / is the browser page (docs/streaming.md).",
                refusesPlainRequests: false);
        return endpoints;
    }
}
