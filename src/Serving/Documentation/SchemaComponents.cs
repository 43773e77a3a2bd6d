using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SpeechServe.Serving.Documentation;

/// <summary>Schema components for operation transformers that describe what endpoint metadata cannot.</summary>
internal static class SchemaComponents
{
    /// <summary>Adds the schema of <typeparamref name="T"/> to the document's components and returns a reference to it.</summary>
    public static async Task<IOpenApiSchema> ReferenceAsync<T>(OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var document = context.Document ?? throw new InvalidOperationException("The operation transformer runs without its document.");
        var name = typeof(T).Name;
        var schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken).ConfigureAwait(false);
        document.AddComponent(name, schema);
        return new OpenApiSchemaReference(name, document);
    }
}
