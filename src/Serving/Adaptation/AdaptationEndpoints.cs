using System.Globalization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using SpeechServe.Export.Adaptation;
using SpeechServe.Export.Repository;
using SpeechServe.Serving.Admin;
using SpeechServe.Serving.Documentation;
using SpeechServe.Serving.Security;
using SpeechServe.Serving.Models;

namespace SpeechServe.Serving.Adaptation;

/// <summary>
/// <c>/admin/adaptations</c> (docs/adapters.md, "Domain adaptation"): a dataset zip in, a job that trains an adapter
/// and stores it as a new, inactive version. The dataset is checked in the request, so a bad one is refused with
/// every bad row named before a job exists.
/// </summary>
public static class AdaptationEndpoints
{
    /// <summary>Maps the adaptation endpoints.</summary>
    public static IEndpointRouteBuilder MapAdaptations(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/admin/adaptations")
            .AddEndpointFilter<AdminKeyFilter>()
            .AddOpenApiOperationTransformer(SecuritySchemes.RequireAdminKeyAsync)
            .WithTags("Admin")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", SubmitAsync)
            .WithName("SubmitAdaptation")
            .WithSummary("Checks a dataset (zip of audio and metadata.csv) and queues a job that trains an adapter from it.")
            .AddOpenApiOperationTransformer(DescribeRequestBodyAsync)
            .Produces<AdaptationJobStatus>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .DisableAntiforgery();
        group.MapGet("/", (AdaptationJobs jobs) => TypedResults.Ok(new AdaptationJobListResponse(jobs.All)))
            .WithName("ListAdaptations")
            .WithSummary("Lists adaptation jobs, newest first.");
        group.MapGet("/{id}", Get)
            .WithName("GetAdaptation")
            .WithSummary("Reports a job's state, progress and dev WER figures.")
            .Produces<AdaptationJobStatus>(StatusCodes.Status200OK);
        group.MapDelete("/{id}", CancelAsync)
            .WithName("CancelAdaptation")
            .WithSummary("Cancels a queued or running job.")
            .Produces<AdaptationJobStatus>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return endpoints;
    }

    // Declared here rather than with Accepts, whose routing check would answer another content type with an empty 415.
    private static async Task DescribeRequestBodyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var schema = await SchemaComponents.ReferenceAsync<AdaptationRequestDocument>(context, cancellationToken).ConfigureAwait(false);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType> { ["multipart/form-data"] = new() { Schema = schema } },
        };
    }

    private static IResult Get(string id, AdaptationJobs jobs) =>
        jobs.Find(id) is { } status ? TypedResults.Ok(status) : UnknownJob(id);

    private static async Task<IResult> CancelAsync(string id, AdaptationJobs jobs)
    {
        if (jobs.Find(id) is not { } status)
        {
            return UnknownJob(id);
        }

        if (status.IsFinished)
        {
            return AdminProblems.Create(StatusCodes.Status409Conflict, "Job has ended", $"Job {id} has already ended ({status.State}).", "adaptation_finished");
        }

        return TypedResults.Ok(await jobs.CancelAsync(id).ConfigureAwait(false));
    }

    private static async Task<IResult> SubmitAsync(
        HttpContext context, ModelCatalog catalog, AdaptationJobs jobs, IOptions<AdaptationOptions> options, CancellationToken cancellationToken)
    {
        if (!catalog.IsReady)
        {
            return AdminProblems.NotReady(catalog.Failure);
        }

        var (form, formError) = await ReadFormAsync(context, options.Value.MaxDataBytes, cancellationToken).ConfigureAwait(false);
        if (formError is not null)
        {
            return formError;
        }

        var (request, error) = AdaptationForm.Parse(form!, catalog, options.Value);
        if (error is not null)
        {
            return error;
        }

        var id = Guid.NewGuid().ToString("N");
        var directory = jobs.JobDirectory(id);
        var settings = jobs.Settings(request!.TimeBudgetMinutes, request.Bottleneck);
        var submitted = false;
        try
        {
            var data = Path.Combine(directory, "data");
            string root;
            await using (var zip = request.Data.OpenReadStream())
            {
                root = DatasetArchive.Extract(zip, data, options.Value.MaxUncompressedBytes);
            }

            var dataset = await DomainAdaptation.ValidateAsync(root, request.Served.Model.Directory, settings, _ => { }, cancellationToken).ConfigureAwait(false);
            Directory.Delete(data, recursive: true);
            var status = jobs.Submit(id, request.Served, request.Name, dataset, settings);
            submitted = true;
            return TypedResults.Accepted($"/admin/adaptations/{id}", status);
        }
        catch (DatasetException ex)
        {
            return TypedResults.Problem(
                ex.Summary,
                statusCode: StatusCodes.Status400BadRequest,
                title: "Dataset refused",
                extensions: new Dictionary<string, object?>
                {
                    ["code"] = "dataset_refused",
                    ["rows"] = ex.Problems.Select(p => new DatasetRowProblem(p.Line, p.FileName, p.Message)).ToList(),
                });
        }
        catch (ExportException ex)
        {
            return AdminProblems.Create(StatusCodes.Status400BadRequest, "Adaptation refused", ex.Message, "adaptation_refused");
        }
        finally
        {
            // Nothing is kept of a refused (or abandoned) dataset.
            if (!submitted)
            {
                DeleteIfPresent(directory);
            }
        }
    }

    private static async Task<(IFormCollection? Form, IResult? Error)> ReadFormAsync(HttpContext context, long maxBytes, CancellationToken cancellationToken)
    {
        var tooLarge = AdminProblems.Create(
            StatusCodes.Status413PayloadTooLarge,
            "Dataset too large",
            $"The request is larger than the limit of {maxBytes.ToString(CultureInfo.InvariantCulture)} bytes (Adaptation:MaxDataBytes).",
            "dataset_too_large");
        if (!context.Request.HasFormContentType)
        {
            return (null, AdminProblems.Create(
                StatusCodes.Status400BadRequest, "Bad request", "Send multipart/form-data with a 'name' field and the dataset zip in a 'data' part.", "invalid_request"));
        }

        if (context.Request.ContentLength > maxBytes)
        {
            return (null, tooLarge);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = maxBytes;
        }

        try
        {
            return (await context.Request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = maxBytes }, cancellationToken).ConfigureAwait(false), null);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, tooLarge);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            return (null, AdminProblems.Create(StatusCodes.Status400BadRequest, "Bad request", $"The multipart body could not be read: {ex.Message}", "invalid_request"));
        }
    }

    private static void DeleteIfPresent(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static IResult UnknownJob(string id) =>
        AdminProblems.Create(StatusCodes.Status404NotFound, "Not found", $"There is no adaptation job '{id}'.", "adaptation_not_found");
}
