namespace SpeechServe.Adapters.Registry;

/// <summary>A step in an adapter's life.</summary>
public enum AdapterLifecycleStage
{
    /// <summary>A package passed its checks and was stored as a new version.</summary>
    Stored,

    /// <summary>A package was refused; nothing was stored.</summary>
    Rejected,

    /// <summary>A version's weights were loaded from the store.</summary>
    Loaded,

    /// <summary>A version could not be loaded; the previous state keeps serving.</summary>
    LoadFailed,

    /// <summary>A version became the one new requests get.</summary>
    Activated,

    /// <summary>An adapter was deleted; in-flight requests finish on it.</summary>
    Deleted,

    /// <summary>Idle weights were dropped to stay within the memory budget; they reload on demand.</summary>
    Evicted,

    /// <summary>A replaced or deleted version's last request ended and its weights were freed.</summary>
    Released,
}

/// <summary>One lifecycle step.</summary>
/// <param name="Stage">What happened.</param>
/// <param name="BaseModel">The base model's id.</param>
/// <param name="Name">The adapter.</param>
/// <param name="Version">The version, when one is concerned.</param>
/// <param name="Detail">Why, for refusals and failures.</param>
public sealed record AdapterLifecycleEvent(AdapterLifecycleStage Stage, string BaseModel, string Name, int? Version, string? Detail = null);

/// <summary>The one place lifecycle steps are reported to (logs, metrics).</summary>
public interface IAdapterLifecycleListener
{
    /// <summary>Called after each step; must not throw or block.</summary>
    void OnLifecycleEvent(AdapterLifecycleEvent lifecycleEvent);
}

/// <summary>A listener that ignores every step.</summary>
public sealed class NullAdapterLifecycleListener : IAdapterLifecycleListener
{
    /// <summary>The instance.</summary>
    public static NullAdapterLifecycleListener Instance { get; } = new();

    /// <inheritdoc />
    public void OnLifecycleEvent(AdapterLifecycleEvent lifecycleEvent)
    {
    }
}
