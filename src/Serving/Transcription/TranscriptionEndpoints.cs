using System.Diagnostics;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using SpeechServe.Adapters.Registry;
using SpeechServe.Runtime.Audio;
using SpeechServe.Runtime.Batching;
using SpeechServe.Runtime.Onnx;
using SpeechServe.Serving.Metrics;
using SpeechServe.Serving.Models;
using SpeechServe.Serving.OpenAi;
using SpeechServe.Serving.Resilience;
using SpeechServe.Serving.Security;

namespace SpeechServe.Serving.Transcription;

/// <summary><c>POST /v1/audio/transcriptions</c>, wire-compatible with OpenAI's audio API.</summary>
public static class TranscriptionEndpoints
{
    /// <summary>Maps the transcription endpoint into the <c>/v1</c> group (API keys, rate limit).</summary>
    public static IEndpointRouteBuilder MapTranscription(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapApiGroup().MapPost("/audio/transcriptions", TranscribeAsync)
            .WithName("CreateTranscription")
            .WithTags("Audio")
            .WithSummary("Transcribes audio into text.")
            .Produces(StatusCodes.Status200OK)
            .Produces<OpenAiErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<OpenAiErrorResponse>(StatusCodes.Status404NotFound)
            .Produces<OpenAiErrorResponse>(StatusCodes.Status413PayloadTooLarge)
            .Produces<OpenAiErrorResponse>(StatusCodes.Status415UnsupportedMediaType)
            .Produces<OpenAiErrorResponse>(StatusCodes.Status500InternalServerError)
            .Produces<OpenAiErrorResponse>(StatusCodes.Status503ServiceUnavailable)
            .AddOpenApiOperationTransformer(TranscriptionOpenApi.DescribeAsync)
            .DisableAntiforgery();
        return endpoints;
    }

    private static async Task<IResult> TranscribeAsync(
        HttpContext context,
        ModelCatalog catalog,
        AudioDecoder audioDecoder,
        ServingMetrics metrics,
        IOptions<ServingOptions> options,
        CancellationToken cancellationToken)
    {
        if (!catalog.IsReady)
        {
            return ServiceUnavailable(context, catalog.Failure is null ? "The models are still loading; retry shortly." : $"No model could be loaded: {catalog.Failure}");
        }

        var settings = options.Value;
        var form = await TranscriptionFormReader.ReadAsync(context, settings.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (form.Error is not null)
        {
            return form.Error;
        }

        var parsed = TranscriptionForm.Parse(form.Form!);
        if (parsed.Error is { } fieldError)
        {
            return OpenAiErrors.BadRequest(fieldError.Message, fieldError.Param, fieldError.Code);
        }

        var request = parsed.Form!;
        ModelSelection? resolved;
        try
        {
            resolved = catalog.Resolve(request.Model);
        }
        catch (AdapterRegistryException ex)
        {
            return ServiceUnavailable(context, ex.Message);
        }

        using var selection = resolved;
        if (selection is null)
        {
            return OpenAiErrors.Create(
                StatusCodes.Status404NotFound,
                $"The model '{request.Model}' does not exist. Available models: {string.Join(", ", catalog.Ids)}.",
                "model",
                "model_not_found");
        }

        context.SetMetricsModel(selection.Id);
        var breaker = selection.Served.Breaker;
        if (breaker.RetryAfter is { } pause)
        {
            return InferenceUnavailable.Create(context, selection.Served.Model.Id, pause);
        }

        DecodedAudio audio;
        try
        {
            var bytes = await ReadAllAsync(request.File, cancellationToken).ConfigureAwait(false);
            audio = await audioDecoder.DecodeAsync(bytes, AudioLimits(settings), cancellationToken).ConfigureAwait(false);
        }
        catch (AudioFormatException ex)
        {
            return OpenAiErrors.Create(AudioErrorStatus(ex), ex.Message, ex.Param, ex.Code);
        }

        Runtime.Decoding.Transcript transcript;
        var recognitionStarted = Stopwatch.GetTimestamp();
        try
        {
            transcript = await breaker.ExecuteAsync(
                token => selection.Served.Recognizer.TranscribeAsync(audio.Samples, selection.Weights, token), cancellationToken).ConfigureAwait(false);
        }
        catch (BatchQueueFullException ex)
        {
            return ServiceUnavailable(context, ex.Message);
        }
        catch (BrokenCircuitException ex)
        {
            // Opened, or half-open with its one trial request running, since the check above.
            return InferenceUnavailable.Create(context, selection.Served.Model.Id, breaker.RetryAfter ?? ex.RetryAfter ?? TimeSpan.FromSeconds(1));
        }
        catch (OnnxRuntimeException)
        {
            return OpenAiErrors.Create(
                StatusCodes.Status500InternalServerError,
                $"The encoder of '{selection.Served.Model.Id}' failed on this request (the server logged why). Retry later; repeated failures pause recognition with 503.",
                null,
                "inference_failed");
        }

        var duration = audio.Duration.TotalSeconds;
        metrics.RecordTranscription(selection.Id, duration, Stopwatch.GetElapsedTime(recognitionStarted));

        context.Response.Headers["X-SpeechServe-Model"] = selection.Served.Model.Id;
        if (selection.Adapter is { } adapter)
        {
            context.Response.Headers["X-SpeechServe-Adapter"] = $"{adapter.Name}@{adapter.Version}";
        }

        return request.ResponseFormat switch
        {
            ResponseFormat.Text => TypedResults.Text(transcript.Text + "\n", "text/plain; charset=utf-8"),
            ResponseFormat.Srt => TypedResults.Text(TranscriptFormats.ToSrt(transcript), "text/plain; charset=utf-8"),
            ResponseFormat.Vtt => TypedResults.Text(TranscriptFormats.ToVtt(transcript), "text/vtt; charset=utf-8"),
            ResponseFormat.VerboseJson => TypedResults.Ok(TranscriptionVerboseJson.From(transcript, duration, request, selection, "transcribe")),
            _ => TypedResults.Ok(new TranscriptionJson(transcript.Text)),
        };
    }

    private static async Task<ReadOnlyMemory<byte>> ReadAllAsync(IFormFile file, CancellationToken cancellationToken)
    {
        var buffer = new byte[file.Length];
        await using var stream = file.OpenReadStream();
        await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer;
    }

    private static AudioLimits AudioLimits(ServingOptions settings) => new()
    {
        MaxDuration = TimeSpan.FromSeconds(settings.MaxAudioSeconds),
        DecodeTimeout = TimeSpan.FromSeconds(settings.DecodeTimeoutSeconds),
    };

    // docs/audio.md: media the server cannot handle is 415, audio over the length limit 413, a crashed decoder 500, other bad audio 400.
    private static int AudioErrorStatus(AudioFormatException error) => error switch
    {
        { ErrorCode: AudioErrorCode.DecoderCrashed } => StatusCodes.Status500InternalServerError,
        { IsUnsupportedMediaType: true } => StatusCodes.Status415UnsupportedMediaType,
        { ErrorCode: AudioErrorCode.AudioTooLong } => StatusCodes.Status413PayloadTooLarge,
        _ => StatusCodes.Status400BadRequest,
    };

    private static IResult ServiceUnavailable(HttpContext context, string message)
    {
        context.Response.Headers.RetryAfter = "1";
        return OpenAiErrors.Create(StatusCodes.Status503ServiceUnavailable, message, null, "service_unavailable");
    }
}
