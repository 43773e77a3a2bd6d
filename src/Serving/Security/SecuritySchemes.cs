using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SpeechServe.Serving.Security;

/// <summary>
/// The OpenAPI description of the two bearer keys: <see cref="ApiKey"/> on <c>/v1/*</c> and
/// <see cref="AdminKey"/> on <c>/admin/*</c>. An operation transformer adds the scheme to the document's
/// components and requires it on the operation.
/// </summary>
internal static class SecuritySchemes
{
    /// <summary>The scheme of <c>Serving:ApiKeys</c>.</summary>
    public const string ApiKey = "ApiKey";

    /// <summary>The scheme of <c>Admin:ApiKey</c>.</summary>
    public const string AdminKey = "AdminKey";

    /// <summary>Requires the API key scheme.</summary>
    public static Task RequireApiKeyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken) =>
        RequireAsync(operation, context, ApiKey, "One of the API keys (Serving:ApiKeys). Only required when keys are configured; without them /v1 is open.");

    /// <summary>Requires the admin key scheme.</summary>
    public static Task RequireAdminKeyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken) =>
        RequireAsync(operation, context, AdminKey, "The admin key (Admin:ApiKey).");

    private static Task RequireAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, string name, string description)
    {
        var document = context.Document ?? throw new InvalidOperationException("The operation transformer runs without its document.");
        if (document.Components?.SecuritySchemes?.ContainsKey(name) != true)
        {
            document.AddComponent<IOpenApiSecurityScheme>(name, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = description,
            });
        }

        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(name, document)] = [] });
        return Task.CompletedTask;
    }
}
