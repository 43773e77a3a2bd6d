namespace SpeechServe.Serving.Models;

/// <summary>
/// The models this server answers for, once loaded. Before that, <see cref="IsReady"/> is false and the
/// model endpoints answer 503.
/// </summary>
public sealed class ModelCatalog
{
    private volatile IReadOnlyList<ServedModel>? _models;
    private volatile string? _failure;

    /// <summary>True once every model is loaded.</summary>
    public bool IsReady => _models is not null;

    /// <summary>Why loading failed, if it did.</summary>
    public string? Failure => _failure;

    /// <summary>The loaded models; empty before loading finished.</summary>
    public IReadOnlyList<ServedModel> Models => _models ?? [];

    /// <summary>Every id a client may pass as <c>model</c>: base models, then adapters.</summary>
    public IEnumerable<string> Ids => Models.Select(m => m.Model.Id).Concat(Models.SelectMany(m => m.Adapters.ActiveVersions.Keys));

    /// <summary>The ids of <see cref="Ids"/> that serve <paramref name="task"/>, in the same order.</summary>
    public IReadOnlyList<string> IdsFor(SpeechTask task)
    {
        var ids = new List<string>();
        if (task == SpeechTask.Transcription)
        {
            ids.AddRange(Models.Select(m => m.Model.Id));
        }

        foreach (var served in Models)
        {
            ids.AddRange(served.Adapters.ActiveVersions.OrderBy(a => a.Key, StringComparer.Ordinal).Where(a => served.AdapterTasks.Active(a.Key, a.Value) == task).Select(a => a.Key));
        }

        return ids;
    }

    /// <summary>Publishes the loaded models.</summary>
    public void Publish(IReadOnlyList<ServedModel> models) => _models = models;

    /// <summary>Records that loading failed.</summary>
    public void Fail(string reason) => _failure = reason;

    /// <summary>The base model that serves <paramref name="id"/> (itself or one of its active adapters), the first model when no id is given; null when none does.</summary>
    public ServedModel? Owner(string? id) => string.IsNullOrEmpty(id)
        ? (Models.Count > 0 ? Models[0] : null)
        : Models.FirstOrDefault(m => m.Model.Id == id || m.Adapters.IsActive(id));

    /// <summary>
    /// Finds the base model or adapter called <paramref name="id"/>; for an adapter, leases its active
    /// version for the request. Dispose the selection when the request ends.
    /// </summary>
    /// <exception cref="Adapters.Registry.AdapterRegistryException">The adapter's weights could not be reloaded.</exception>
    public ModelSelection? Resolve(string id)
    {
        foreach (var served in Models)
        {
            if (served.Model.Id == id)
            {
                return new ModelSelection(served, null);
            }

            if (served.Adapters.TryAcquire(id) is { } lease)
            {
                served.AdapterTasks.Learn(lease);
                return new ModelSelection(served, lease);
            }
        }

        return null;
    }
}
