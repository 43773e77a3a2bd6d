using System.Globalization;
using SpeechServe.Adapters.Registry;
using SpeechServe.Runtime.Audio;
using SpeechServe.Runtime.Streaming;
using SpeechServe.Serving.Metrics;
using SpeechServe.Serving.Models;
using SpeechServe.Serving.Resilience;
using SpeechServe.Serving.Security;

namespace SpeechServe.Serving.Streaming;

/// <summary><c>GET /v1/audio/stream</c>: WebSocket streaming recognition (docs/streaming.md).</summary>
public static class StreamingEndpoints
{
    /// <summary>Registers the streaming options, the stream counter and the per-model recognizers.</summary>
    public static IServiceCollection AddStreaming(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StreamingServerOptions>()
            .Bind(configuration.GetSection(StreamingServerOptions.Section))
            .Validate(o => o.MaxBatchSize >= 1, "Streaming:MaxBatchSize must be 1 (batching off) or more.")
            .Validate(o => o.MaxBatchWaitMilliseconds >= 0, "Streaming:MaxBatchWaitMilliseconds must not be negative.")
            .ValidateOnStart();
        services.AddSingleton<ActiveStreams>();
        services.AddSingleton<StreamingRecognizers>();
        services.AddSingleton<StreamingServices>();
        return services;
    }

    /// <summary>
    /// Maps the WebSocket endpoint into the <c>/v1</c> group (API keys, checked before the upgrade; rate limit).
    /// Browsers cannot set headers on a WebSocket, so this endpoint also takes the key as <c>api_key</c> in the
    /// query. The app must use WebSockets (<c>UseWebSockets</c>) before it.
    /// </summary>
    public static IEndpointRouteBuilder MapStreaming(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        // Created now, so that its shutdown wait is registered before the host can stop.
        endpoints.ServiceProvider.GetRequiredService<ActiveStreams>();
        endpoints.MapApiGroup().MapGet("/audio/stream", (HttpContext context, StreamingServices services) => StreamAsync(context, services, NativeProtocol))
            .WithName("StreamTranscription")
            .WithMetadata(ApiKeyQueryParameter.Allowed)
            .WithTags("Audio")
            .DescribeWebSocket(
                "Streaming transcription over WebSocket, this server's protocol.",
                "PCM audio in binary frames, partial and final results as JSON text frames; docs/streaming.md.");
        return endpoints;
    }

    /// <summary>
    /// Runs one stream of <paramref name="protocol"/>: the upgrade, the query, the model and its breaker, the stream
    /// limit, then the session until the client ends it.
    /// </summary>
    internal static async Task StreamAsync(HttpContext context, StreamingServices services, StreamProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(protocol);
        var (catalog, streams) = (services.Catalog, services.Streams);
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("Connect with a WebSocket upgrade (ws:// or wss://); see docs/streaming.md.", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        // Refused before the upgrade, so that the client sees the status and Retry-After of any other recognition request.
        if (catalog.Owner(context.Request.Query["model"]) is { Breaker.RetryAfter: { } pause } paused)
        {
            await InferenceUnavailable.Create(context, paused.Model.Id, pause).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var settings = services.Options.Value;
        var (request, failure) = Validate(context.Request.Query, catalog, settings, protocol.DefaultEncoding);

        // The selection leases the adapter version: the stream runs on it to the end, and a delete waits for it.
        // The upgrade response names it, as a REST response does.
        using var leased = request?.Selection;
        leased?.WriteHeaders(context.Response.Headers);
        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        StreamingConnection Connection(IStreamWireFormat format) => new(socket, format, settings, services.Logger, streams.Stopping);
        if (request is null)
        {
            // Before a model is chosen: every protocol sends errors as this server's error message.
            using var rejecting = Connection(NativeStreamFormat.Instance);
            await rejecting.RejectAsync(failure!).ConfigureAwait(false);
            return;
        }

        var selection = request.Selection;
        context.SetMetricsModel(selection.Id);
        using var connection = Connection(protocol.Format(selection.Served));
        if (!streams.TryEnter())
        {
            await connection.RejectAsync(new StreamFailure(
                "too_many_streams",
                StreamCloseCodes.TryAgainLater,
                $"The server is at its limit of {settings.MaxConcurrentStreams} streams or is stopping; retry later.")).ConfigureAwait(false);
            return;
        }

        try
        {
            var session = services.Recognizers.For(selection.Served).Open(selection.Weights, request.SampleRate, selection.Served.Breaker);
            await connection.RunAsync(session, request.Encoding, selection, context.RequestAborted).ConfigureAwait(false);
            services.Metrics.RecordStream(selection.Id, session.AudioSeconds);
        }
        finally
        {
            streams.Exit();
        }
    }

    private static (StreamRequest? Request, StreamFailure? Failure) Validate(IQueryCollection query, ModelCatalog catalog, StreamingServerOptions settings, SampleEncoding defaultEncoding)
    {
        if (!catalog.IsReady)
        {
            return (null, new StreamFailure("service_unavailable", StreamCloseCodes.TryAgainLater, "The models are still loading; retry shortly."));
        }

        string? encodingName = query["encoding"];
        var encoding = defaultEncoding;
        if (!string.IsNullOrEmpty(encodingName) && !PcmFrameDecoder.TryParse(encodingName, out encoding))
        {
            return (null, Invalid($"encoding '{encodingName}' is not supported; use pcm_s16le (the default) or pcm_f32le."));
        }

        var sampleRate = 16_000;
        string? rate = query["sample_rate"];
        if (!string.IsNullOrEmpty(rate)
            && (!int.TryParse(rate, NumberStyles.None, CultureInfo.InvariantCulture, out sampleRate)
                || sampleRate < settings.MinSampleRate || sampleRate > settings.MaxSampleRate))
        {
            return (null, Invalid($"sample_rate '{rate}' must be a whole number of Hz from {settings.MinSampleRate} to {settings.MaxSampleRate}."));
        }

        var (selection, failure) = ResolveModel(query["model"], catalog);
        return selection is null ? (null, failure) : (new StreamRequest(selection, encoding, sampleRate), null);
    }

    /// <summary>
    /// The recognition model a stream asks for (<paramref name="model"/>; the first base model when empty), or
    /// the failure that refuses it: unknown, a translation adapter, or an adapter whose weights cannot be loaded.
    /// The selection leases the adapter version until it is disposed.
    /// </summary>
    internal static (ModelSelection? Selection, StreamFailure? Failure) ResolveModel(string? model, ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ModelSelection? selection;
        try
        {
            selection = string.IsNullOrEmpty(model) ? DefaultModel(catalog) : catalog.Resolve(model);
        }
        catch (AdapterRegistryException ex)
        {
            return (null, new StreamFailure("service_unavailable", StreamCloseCodes.TryAgainLater, ex.Message));
        }

        if (selection is null)
        {
            return (null, new StreamFailure(
                "model_not_found",
                StreamCloseCodes.ModelNotFound,
                $"The model '{model}' does not exist. Available models: {string.Join(", ", catalog.Ids)}."));
        }

        if (selection.Task != SpeechTask.Transcription)
        {
            selection.Dispose();
            return (null, new StreamFailure(
                SpeechTaskRefusal.Code(SpeechTask.Transcription),
                StreamCloseCodes.InvalidParameter,
                SpeechTaskRefusal.Message(model!, SpeechTask.Transcription, catalog.IdsFor(SpeechTask.Transcription))));
        }

        return (selection, null);
    }

    private static ModelSelection? DefaultModel(ModelCatalog catalog) =>
        catalog.Models.Count > 0 ? new ModelSelection(catalog.Models[0], null) : null;

    private static StreamFailure Invalid(string message) => new("invalid_parameter", StreamCloseCodes.InvalidParameter, message);

    private static StreamProtocol NativeProtocol { get; } = new(SampleEncoding.PcmSigned16, _ => NativeStreamFormat.Instance);

    private sealed record StreamRequest(ModelSelection Selection, SampleEncoding Encoding, int SampleRate);
}
