using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SpeechServe.Serving.Documentation;

namespace SpeechServe.Serving.Transcription;

/// <summary>
/// The OpenAPI description of <c>/v1/audio/transcriptions</c> that endpoint metadata cannot express: the
/// multipart request body (declared here rather than with <c>Accepts</c>, whose routing check would answer a
/// wrong content type with an empty 415 before the handler's OpenAI-shaped error), and one 200 response with
/// a media type per <c>response_format</c> family.
/// </summary>
internal static class TranscriptionOpenApi
{
    /// <summary>Sets the request body and the 200 response of the operation.</summary>
    public static async Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var request = await SchemaComponents.ReferenceAsync<TranscriptionRequestDocument>(context, cancellationToken).ConfigureAwait(false);
        var json = await SchemaComponents.ReferenceAsync<TranscriptionJson>(context, cancellationToken).ConfigureAwait(false);
        var verbose = await SchemaComponents.ReferenceAsync<TranscriptionVerboseJson>(context, cancellationToken).ConfigureAwait(false);

        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType> { ["multipart/form-data"] = new() { Schema = request } },
        };
        operation.Responses ??= [];
        operation.Responses["200"] = new OpenApiResponse
        {
            Description = "The transcript: json and verbose_json as JSON, text and srt as text/plain, vtt as text/vtt.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = new OpenApiSchema { OneOf = [json, verbose] } },
                ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                ["text/vtt"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        };
    }
}
