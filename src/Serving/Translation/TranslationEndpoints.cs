using SpeechServe.Serving.AudioApi;
using SpeechServe.Serving.Security;

namespace SpeechServe.Serving.Translation;

/// <summary><c>POST /v1/audio/translations</c>: speech in another language to English text, wire-compatible with OpenAI's audio API.</summary>
public static class TranslationEndpoints
{
    /// <summary>Maps the translation endpoint into the <c>/v1</c> group (API keys, rate limit).</summary>
    public static IEndpointRouteBuilder MapTranslation(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapApiGroup().MapPost("/audio/translations", TranslateAsync)
            .WithName("CreateTranslation")
            .WithTags("Audio")
            .WithSummary("Translates audio into English text.")
            .ProducesAudioErrors()
            .AddOpenApiOperationTransformer(AudioOpenApi.Describe<TranslationRequestDocument>("The English translation"))
            .DisableAntiforgery();
        return endpoints;
    }

    private static Task<IResult> TranslateAsync(HttpContext context, AudioRequestPipeline pipeline, TranslationTask task, CancellationToken cancellationToken) =>
        pipeline.HandleAsync(context, task, cancellationToken);
}
