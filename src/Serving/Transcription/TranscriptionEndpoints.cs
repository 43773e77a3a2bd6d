using SpeechServe.Serving.AudioApi;
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
            .ProducesAudioErrors()
            .AddOpenApiOperationTransformer(AudioOpenApi.Describe<TranscriptionRequestDocument>("The transcript"))
            .DisableAntiforgery();
        return endpoints;
    }

    private static Task<IResult> TranscribeAsync(HttpContext context, AudioRequestPipeline pipeline, TranscriptionTask task, CancellationToken cancellationToken) =>
        pipeline.HandleAsync(context, task, cancellationToken);
}
