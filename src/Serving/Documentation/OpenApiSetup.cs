namespace SpeechServe.Serving.Documentation;

/// <summary>The generated OpenAPI document (<c>/openapi/v1.json</c>), kept in step with openapi.yaml by a test.</summary>
public static class OpenApiSetup
{
    /// <summary>Adds the document generator with the schema corrections of <see cref="NullOmittedSchemaTransformer"/>.</summary>
    public static IServiceCollection AddServingOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options => options.AddSchemaTransformer<NullOmittedSchemaTransformer>());
}
