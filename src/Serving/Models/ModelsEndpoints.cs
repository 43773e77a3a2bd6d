using System.Text.Json.Serialization;
using SpeechServe.Serving.OpenAi;
using SpeechServe.Serving.Security;

namespace SpeechServe.Serving.Models;

/// <summary><c>GET /v1/models</c> in OpenAI's list shape: every base model and every active adapter.</summary>
public static class ModelsEndpoints
{
    /// <summary>Maps the model list into the <c>/v1</c> group (API keys, rate limit).</summary>
    public static IEndpointRouteBuilder MapModels(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapApiGroup().MapGet("/models", ListModels)
            .WithName("ListModels")
            .WithTags("Models")
            .WithSummary("Lists the base models and adapters this server answers for.")
            .Produces<ModelList>(StatusCodes.Status200OK)
            .Produces<OpenAiErrorResponse>(StatusCodes.Status503ServiceUnavailable);
        return endpoints;
    }

    private static IResult ListModels(ModelCatalog catalog, HttpContext context)
    {
        if (!catalog.IsReady)
        {
            context.Response.Headers.RetryAfter = "1";
            return OpenAiErrors.Create(StatusCodes.Status503ServiceUnavailable, "The models are still loading; retry shortly.", null, "service_unavailable");
        }

        var entries = new List<ModelEntry>();
        foreach (var served in catalog.Models)
        {
            var created = served.Created.ToUnixTimeSeconds();
            var provider = ExecutionProviderNames.Of(served.Model.Encoder.ExecutionProvider);
            entries.Add(new ModelEntry(served.Model.Id, "model", created, "speechserve", null, null, TaskName(SpeechTask.Transcription), provider));
            entries.AddRange(served.Adapters.ActiveVersions.OrderBy(a => a.Key, StringComparer.Ordinal)
                .Select(a => new ModelEntry(
                    a.Key, "model", created, "speechserve", served.Model.Id, a.Value, TaskName(served.AdapterTasks.Active(a.Key, a.Value)), provider)));
        }

        return TypedResults.Ok(new ModelList("list", entries));
    }

    // The endpoint's verb, as verbose_json's task names it; null when the adapter's weights could not be loaded to tell.
    private static string? TaskName(SpeechTask? task) => task switch
    {
        SpeechTask.Transcription => "transcribe",
        SpeechTask.Translation => "translate",
        _ => null,
    };
}

/// <summary>OpenAI's model list.</summary>
public sealed record ModelList([property: JsonPropertyName("object")] string Kind, IReadOnlyList<ModelEntry> Data);

/// <summary>
/// One model id; adapters also name their base model and version. <c>task</c> says which endpoint serves it:
/// <c>transcribe</c> (<c>/v1/audio/transcriptions</c> and streaming) or <c>translate</c> (<c>/v1/audio/translations</c>);
/// <c>execution_provider</c> what its encoder runs on (<c>cpu</c> or <c>cuda</c>; an adapter runs on its base model's).
/// </summary>
public sealed record ModelEntry(
    string Id,
    [property: JsonPropertyName("object")] string Kind,
    long Created,
    [property: JsonPropertyName("owned_by")] string OwnedBy,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Parent,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Version,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Task,
    [property: JsonPropertyName("execution_provider")] string ExecutionProvider);
