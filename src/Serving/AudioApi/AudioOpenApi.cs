using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SpeechServe.Serving.Documentation;
using SpeechServe.Serving.OpenAi;

namespace SpeechServe.Serving.AudioApi;

/// <summary>
/// The OpenAPI description of the <c>/v1/audio</c> REST endpoints that endpoint metadata cannot express: the
/// multipart request body (declared here rather than with <c>Accepts</c>, whose routing check would answer a
/// wrong content type with an empty 415 before the handler's OpenAI-shaped error), and one 200 response with
/// a media type per <c>response_format</c> family.
/// </summary>
internal static class AudioOpenApi
{
    /// <summary>The error statuses every <c>/v1/audio</c> REST endpoint may answer.</summary>
    public static RouteHandlerBuilder ProducesAudioErrors(this RouteHandlerBuilder endpoint) => endpoint
        .Produces(StatusCodes.Status200OK)
        .Produces<OpenAiErrorResponse>(StatusCodes.Status400BadRequest)
        .Produces<OpenAiErrorResponse>(StatusCodes.Status404NotFound)
        .Produces<OpenAiErrorResponse>(StatusCodes.Status413PayloadTooLarge)
        .Produces<OpenAiErrorResponse>(StatusCodes.Status415UnsupportedMediaType)
        .Produces<OpenAiErrorResponse>(StatusCodes.Status500InternalServerError)
        .Produces<OpenAiErrorResponse>(StatusCodes.Status503ServiceUnavailable);

    /// <summary>Sets the request body (the fields of <typeparamref name="TRequest"/>) and the 200 response of the operation.</summary>
    /// <param name="result">What the response holds, e.g. "The transcript".</param>
    public static Func<OpenApiOperation, OpenApiOperationTransformerContext, CancellationToken, Task> Describe<TRequest>(string result) =>
        async (operation, context, cancellationToken) =>
        {
            var request = await SchemaComponents.ReferenceAsync<TRequest>(context, cancellationToken).ConfigureAwait(false);
            var json = await SchemaComponents.ReferenceAsync<AudioTextJson>(context, cancellationToken).ConfigureAwait(false);
            var verbose = await SchemaComponents.ReferenceAsync<AudioVerboseJson>(context, cancellationToken).ConfigureAwait(false);

            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { ["multipart/form-data"] = new() { Schema = request } },
            };
            operation.Responses ??= [];
            operation.Responses["200"] = new OpenApiResponse
            {
                Description = $"{result}: json and verbose_json as JSON, text and srt as text/plain, vtt as text/vtt; with stream=true, server-sent events.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = new OpenApiSchema { OneOf = [json, verbose] } },
                    ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                    ["text/vtt"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                    ["text/event-stream"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
            };
        };
}
