using SpeechServe.Adapters.Packages;
using SpeechServe.Adapters.Registry;

namespace SpeechServe.Serving.Admin;

/// <summary>problem+json (RFC 9457) responses of the admin API, each with a stable <c>code</c>.</summary>
public static class AdminProblems
{
    // Linux errno values, which .NET gives as the HResult of an IOException from a failed file system call.
    private const int NoSpaceLeftOnDevice = 28;
    private const int DiskQuotaExceeded = 122;

    /// <summary>A problem response.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="title">A short summary of the problem type.</param>
    /// <param name="detail">What went wrong and what to do.</param>
    /// <param name="code">A stable machine-readable code.</param>
    /// <param name="rule">For refused packages, the package rule that failed.</param>
    public static IResult Create(int status, string title, string detail, string code, string? rule = null)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (rule is not null)
        {
            extensions["rule"] = rule;
        }

        return TypedResults.Problem(detail, statusCode: status, title: title, extensions: extensions);
    }

    /// <summary>400 for a package that broke a rule.</summary>
    public static IResult PackageRefused(AdapterPackageException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        var status = ex.Rule == AdapterPackageRules.PackageSize ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest;
        return Create(status, "Adapter package refused", $"The package was refused: {ex.Reason} Nothing was stored; the active version keeps serving.", "package_refused", ex.Rule);
    }

    /// <summary>507 when the adapter store's disk is full (or over quota), 500 for another write failure.</summary>
    /// <param name="ex">The failed write.</param>
    /// <param name="outcome">What the failure left, and what to do next (the store is unchanged either way).</param>
    public static IResult StoreWriteFailed(IOException ex, string outcome)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex.HResult is NoSpaceLeftOnDevice or DiskQuotaExceeded
            ? Create(
                StatusCodes.Status507InsufficientStorage,
                "Insufficient storage",
                $"The adapter store has no space left ({ex.Message}). {outcome} Free space on the store's disk (Adapters:StorePath) and try again.",
                "insufficient_storage")
            : Create(
                StatusCodes.Status500InternalServerError,
                "Store write failed",
                $"The adapter store could not be written ({ex.Message}). {outcome}",
                "store_write_failed");
    }

    /// <summary>The status for a refused registry change.</summary>
    public static IResult RegistryRefused(AdapterRegistryException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex.Error switch
        {
            AdapterRegistryError.NotFound => Create(StatusCodes.Status404NotFound, "Not found", ex.Message, "adapter_not_found"),
            AdapterRegistryError.Unavailable => Create(StatusCodes.Status503ServiceUnavailable, "Adapter unavailable", ex.Message, "adapter_unavailable"),
            _ => Create(StatusCodes.Status409Conflict, "Conflict", ex.Message, "adapter_conflict"),
        };
    }

    /// <summary>503 while the models load.</summary>
    public static IResult NotReady(string? failure) => Create(
        StatusCodes.Status503ServiceUnavailable,
        "Not ready",
        failure is null ? "The models are still loading; retry shortly." : $"No model could be loaded: {failure}",
        "not_ready");
}
