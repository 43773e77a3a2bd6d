using System.Diagnostics;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using SpeechServe.Adapters.Registry;
using SpeechServe.Runtime.Audio;
using SpeechServe.Runtime.Batching;
using Microsoft.ML.OnnxRuntime;
using SpeechServe.Serving.Metrics;
using SpeechServe.Serving.Models;
using SpeechServe.Serving.OpenAi;
using SpeechServe.Serving.Resilience;

namespace SpeechServe.Serving.AudioApi;

/// <summary>
/// The steps every <c>/v1/audio</c> REST request goes through, whatever its task: readiness, the multipart body
/// under its limit, the fields, the model (and that it serves the task), the circuit breaker, audio decoding,
/// inference with its failures mapped to OpenAI errors, metrics and the model headers.
/// </summary>
public sealed class AudioRequestPipeline(ModelCatalog catalog, AudioDecoder audioDecoder, ServingMetrics metrics, IOptions<ServingOptions> options)
{
    /// <summary>Answers one request with <paramref name="task"/>.</summary>
    public async Task<IResult> HandleAsync<TForm, TResult>(HttpContext context, AudioTask<TForm, TResult> task, CancellationToken cancellationToken)
        where TForm : AudioForm
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(task);
        if (!catalog.IsReady)
        {
            return ServiceUnavailable(context, catalog.Failure is null ? "The models are still loading; retry shortly." : $"No model could be loaded: {catalog.Failure}");
        }

        var settings = options.Value;
        var formStarted = Stopwatch.GetTimestamp();
        var (form, readError) = await AudioFormReader.ReadAsync(context, settings.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        var formTime = Stopwatch.GetElapsedTime(formStarted);
        if (readError is not null)
        {
            return readError;
        }

        var parsed = task.Parse(form!);
        if (parsed.Error is { } fieldError)
        {
            return BadRequest(fieldError);
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

        if (selection.Task != task.Task)
        {
            return OpenAiErrors.BadRequest(SpeechTaskRefusal.Message(request.Model, task.Task, catalog.IdsFor(task.Task)), "model", SpeechTaskRefusal.Code(task.Task));
        }

        if (task.Check(request, selection) is { } modelError)
        {
            return BadRequest(modelError);
        }

        context.SetMetricsModel(selection.Id);
        var breaker = selection.Served.Breaker;
        if (breaker.RetryAfter is { } pause)
        {
            return InferenceUnavailable.Create(context, selection.Served.Model.Id, pause);
        }

        ReadAheadAudio audio;
        var audioStarted = Stopwatch.GetTimestamp();
        try
        {
            var bytes = await ReadAllAsync(request.File, cancellationToken).ConfigureAwait(false);
            var reader = await audioDecoder.OpenAsync(bytes, AudioLimits(settings), cancellationToken).ConfigureAwait(false);
            audio = await ReadAheadAudio.ReadAsync(reader, ReadAheadSamples(task.ReadAheadSeconds), cancellationToken).ConfigureAwait(false);
        }
        catch (AudioFormatException ex)
        {
            return AudioError(ex);
        }

        var stages = new TranscriptionStages { Form = formTime, Audio = Stopwatch.GetElapsedTime(audioStarted) };
        await using (audio.ConfigureAwait(false))
        {
            return await RunAsync(context, task, selection, request, audio, stages, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<IResult> RunAsync<TForm, TResult>(
        HttpContext context, AudioTask<TForm, TResult> task, ModelSelection selection, TForm request, ReadAheadAudio audio, TranscriptionStages stages,
        CancellationToken cancellationToken)
        where TForm : AudioForm
    {
        var inferenceStarted = Stopwatch.GetTimestamp();
        if (request.Stream)
        {
            selection.WriteHeaders(context.Response.Headers);
            await TranscriptTextEvents.WriteAsync(context, task.StreamTextAsync(selection, request, audio, cancellationToken), selection.Served, cancellationToken).ConfigureAwait(false);
            metrics.RecordTranscription(selection.Id, audio.Duration.TotalSeconds, Stopwatch.GetElapsedTime(inferenceStarted));
            return TypedResults.Empty;
        }

        var breaker = selection.Served.Breaker;
        TResult result;
        try
        {
            result = await breaker.ExecuteAsync(token => task.RunAsync(selection, request, audio, stages.Recognition, token), cancellationToken).ConfigureAwait(false);
        }
        catch (AudioFormatException ex)
        {
            // Found in the rest of long audio, decoded while it was recognised.
            return AudioError(ex);
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
            return InferenceFailed.Create(selection.Served.Model.Id);
        }

        var duration = audio.Duration.TotalSeconds;
        metrics.RecordTranscription(selection.Id, duration, Stopwatch.GetElapsedTime(inferenceStarted));

        selection.WriteHeaders(context.Response.Headers);
        var response = task.Respond(result, request, selection, duration);

        // Only the batched recognizer measures its stages: long audio and translations have none to record.
        return stages.Recognition.Recognitions > 0 ? new StageRecordingResult(response, metrics, selection.Id, stages) : response;
    }

    private static IResult BadRequest(FormFieldError error) => OpenAiErrors.BadRequest(error.Message, error.Param, error.Code);

    private static async Task<ReadOnlyMemory<byte>> ReadAllAsync(IFormFile file, CancellationToken cancellationToken)
    {
        var buffer = new byte[file.Length];
        await using var stream = file.OpenReadStream();
        await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer;
    }

    private static long ReadAheadSamples(double? seconds) =>
        seconds is { } limit ? (long)Math.Min(limit * AudioDecoder.TargetSampleRate, long.MaxValue / 2) : long.MaxValue;

    private static IResult AudioError(AudioFormatException error) => OpenAiErrors.Create(AudioErrorStatus(error), error.Message, error.Param, error.Code);

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
