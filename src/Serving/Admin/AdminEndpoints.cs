using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using SpeechServe.Adapters.Packages;
using SpeechServe.Adapters.Registry;
using SpeechServe.Serving.Documentation;
using SpeechServe.Serving.Models;
using SpeechServe.Serving.Security;

namespace SpeechServe.Serving.Admin;

/// <summary>
/// The admin API under <c>/admin</c> (docs/adapters.md): list, upload, activate, roll back and delete
/// adapters while requests keep flowing. The route group carries the key check; errors are problem+json.
/// </summary>
public static class AdminEndpoints
{
    /// <summary>Maps the admin endpoints.</summary>
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/admin/adapters")
            .AddEndpointFilter<AdminKeyFilter>()
            .AddOpenApiOperationTransformer(SecuritySchemes.RequireAdminKeyAsync)
            .WithTags("Admin")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/", List).WithName("ListAdapters").WithSummary("Lists adapters with their versions and state.")
            .Produces<AdapterListResponse>(StatusCodes.Status200OK);
        group.MapPut("/{name}", UploadAsync)
            .WithName("UploadAdapter")
            .WithSummary("Stores an adapter package (zip) as a new version and activates it unless activate=false.")
            .Accepts<byte[]>("application/zip")
            .Produces<AdapterChangeResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status500InternalServerError)
            .ProducesProblem(StatusCodes.Status507InsufficientStorage)
            .DisableAntiforgery();
        group.MapPost("/{name}/activate", ActivateAsync)
            .WithName("ActivateAdapter")
            .AddOpenApiOperationTransformer(DescribeActivateBodyAsync)
            .Produces<AdapterChangeResponse>(StatusCodes.Status200OK)
            .WithSummary("Makes a stored version active.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{name}/rollback", RollbackAsync)
            .WithName("RollbackAdapter")
            .Produces<AdapterChangeResponse>(StatusCodes.Status200OK)
            .WithSummary("Activates the highest version below the active one.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{name}", DeleteAsync)
            .WithName("DeleteAdapter")
            .Produces<AdapterChangeResponse>(StatusCodes.Status200OK)
            .WithSummary("Removes an adapter; requests running on it finish first.");
        return endpoints;
    }

    private static IResult List(ModelCatalog catalog)
    {
        if (!catalog.IsReady)
        {
            return AdminProblems.NotReady(catalog.Failure);
        }

        var adapters = catalog.Models
            .SelectMany(m => m.Adapters.Describe())
            .Select(a => new AdapterResponse(a.Name, a.BaseModel, a.ActiveVersion, a.DesiredVersion, a.ServedVersion, a.Versions, a.Bytes, a.ResidentBytes, a.InFlight, a.State, a.Detail))
            .ToList();
        return TypedResults.Ok(new AdapterListResponse(adapters));
    }

    private static async Task<IResult> UploadAsync(
        string name,
        HttpContext context,
        ModelCatalog catalog,
        IAdapterChanges changes,
        IOptions<AdapterOptions> options,
        [FromQuery] bool? activate,
        [FromQuery] string? model,
        CancellationToken cancellationToken)
    {
        if (!catalog.IsReady)
        {
            return AdminProblems.NotReady(catalog.Failure);
        }

        if (!AdapterPackageReader.IsValidName(name))
        {
            return AdminProblems.Create(
                StatusCodes.Status400BadRequest, "Bad adapter name", $"'{name}' must match [a-z0-9][a-z0-9_-]{{0,63}}.", "package_refused", AdapterPackageRules.Name);
        }

        var candidates = catalog.Models.Where(m => model is null || m.Model.Id == model).ToList();
        if (candidates.Count == 0)
        {
            return AdminProblems.Create(StatusCodes.Status404NotFound, "Not found", $"There is no base model '{model}'.", "model_not_found");
        }

        var limits = options.Value.PackageLimits;
        var (zip, tooLarge) = await ReadBodyAsync(context, limits.MaxPackageBytes, cancellationToken).ConfigureAwait(false);
        if (tooLarge)
        {
            return AdminProblems.PackageRefused(new AdapterPackageException(
                AdapterPackageRules.PackageSize, $"the body is larger than the limit of {limits.MaxPackageBytes} bytes (Adapters:MaxPackageBytes)."));
        }

        // The adapter's own model first; otherwise the first whose base weights the package names.
        candidates = [.. candidates.OrderByDescending(m => m.Adapters.Store.Find(name) is not null)];
        AdapterPackageException? refusal = null;
        foreach (var served in candidates)
        {
            try
            {
                var version = await changes.UploadAsync(served.Adapters, name, zip, activate ?? true, limits, cancellationToken).ConfigureAwait(false);
                var active = served.Adapters.ActiveVersions.TryGetValue(name, out var current) ? current : (int?)null;
                return TypedResults.Created($"/admin/adapters/{name}", new AdapterChangeResponse(name, served.Model.Id, version, active, null));
            }
            catch (AdapterPackageException ex) when (ex.Rule == AdapterPackageRules.BaseModel && candidates.Count > 1)
            {
                refusal = ex;
            }
            catch (AdapterPackageException ex)
            {
                return AdminProblems.PackageRefused(ex);
            }
            catch (AdapterRegistryException ex)
            {
                return AdminProblems.RegistryRefused(ex);
            }
            catch (IOException ex)
            {
                return AdminProblems.StoreWriteFailed(ex, "Nothing was stored; the active version keeps serving.");
            }
        }

        return AdminProblems.PackageRefused(refusal!);
    }

    // Declared here rather than with Accepts, whose routing check would answer another content type with an empty 415.
    private static async Task DescribeActivateBodyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var schema = await SchemaComponents.ReferenceAsync<ActivateRequest>(context, cancellationToken).ConfigureAwait(false);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
        };
    }

    // The body is read here rather than bound, so that malformed JSON gets problem+json like every other admin error.
    private static async Task<IResult> ActivateAsync(string name, HttpContext context, ModelCatalog catalog, IAdapterChanges changes, CancellationToken cancellationToken)
    {
        ActivateRequest? body = null;
        try
        {
            body = await context.Request.ReadFromJsonAsync<ActivateRequest>(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: the content type is not JSON.
        }

        if (body?.Version is not { } version || version < 1)
        {
            return AdminProblems.Create(
                StatusCodes.Status400BadRequest, "Bad request", "Send a JSON body {\"version\": N} with the version to activate (N >= 1).", "invalid_request");
        }

        return await ChangeAsync(catalog, name, async registry =>
        {
            await changes.ActivateAsync(registry, name, version, cancellationToken).ConfigureAwait(false);
            return version;
        }).ConfigureAwait(false);
    }

    private static Task<IResult> RollbackAsync(string name, ModelCatalog catalog, IAdapterChanges changes, CancellationToken cancellationToken) =>
        ChangeAsync(catalog, name, registry => changes.RollbackAsync(registry, name, cancellationToken));

    private static async Task<IResult> DeleteAsync(string name, ModelCatalog catalog, IAdapterChanges changes, CancellationToken cancellationToken)
    {
        if (!catalog.IsReady)
        {
            return AdminProblems.NotReady(catalog.Failure);
        }

        try
        {
            var served = FindOwner(catalog, name);
            var inFlight = await changes.DeleteAsync(served.Adapters, name, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(new AdapterChangeResponse(name, served.Model.Id, null, null, inFlight));
        }
        catch (AdapterRegistryException ex)
        {
            return AdminProblems.RegistryRefused(ex);
        }
        catch (IOException ex)
        {
            return AdminProblems.StoreWriteFailed(ex, "The active version was not changed and keeps serving.");
        }
    }

    private static async Task<IResult> ChangeAsync(ModelCatalog catalog, string name, Func<AdapterRegistry, Task<int>> change)
    {
        if (!catalog.IsReady)
        {
            return AdminProblems.NotReady(catalog.Failure);
        }

        try
        {
            var served = FindOwner(catalog, name);
            var version = await change(served.Adapters).ConfigureAwait(false);
            return TypedResults.Ok(new AdapterChangeResponse(name, served.Model.Id, version, version, null));
        }
        catch (AdapterRegistryException ex)
        {
            return AdminProblems.RegistryRefused(ex);
        }
        catch (IOException ex)
        {
            return AdminProblems.StoreWriteFailed(ex, "The active version was not changed and keeps serving.");
        }
    }

    private static ServedModel FindOwner(ModelCatalog catalog, string name) =>
        catalog.Models.FirstOrDefault(m => m.Adapters.IsActive(name) || m.Adapters.Store.Find(name) is not null)
        ?? throw new AdapterRegistryException(AdapterRegistryError.NotFound, $"there is no adapter '{name}'.");

    private static async Task<(byte[] Body, bool TooLarge)> ReadBodyAsync(HttpContext context, long maxBytes, CancellationToken cancellationToken)
    {
        if (context.Request.ContentLength > maxBytes)
        {
            return ([], true);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = maxBytes + 1;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        try
        {
            while ((read = await context.Request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return ([], true);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ([], true);
        }

        return (buffer.ToArray(), false);
    }
}
