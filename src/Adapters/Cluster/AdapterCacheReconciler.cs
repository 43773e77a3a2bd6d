using SpeechServe.Adapters.Registry;
using SpeechServe.Adapters.Store;

namespace SpeechServe.Adapters.Cluster;

/// <summary>
/// Brings one base model's registry in line with the shared store: its local store becomes a verified cache of
/// the database's versions (fetched, checked against their content address, written crash-safe), and each
/// adapter's desired version is loaded and verified before the registry switches to it. The first reconcile
/// also creates the tables and imports the model repository's own adapters when the database is new to the
/// model. Not thread-safe: one reconcile at a time.
/// </summary>
/// <param name="registry">The registry, whose store is the local cache.</param>
/// <param name="database">The shared store.</param>
/// <param name="bundled">The adapters the model repository ships.</param>
public sealed class AdapterCacheReconciler(AdapterRegistry registry, AdapterDatabase database, AdapterStore bundled)
{
    private bool _prepared;

    /// <summary>The registry reconciled.</summary>
    public AdapterRegistry Registry => registry;

    /// <summary>Reads the desired state and applies it. An adapter that cannot be applied is skipped and reported; the others are applied.</summary>
    /// <returns>Why each skipped adapter could not be applied.</returns>
    public async Task<IReadOnlyList<string>> ReconcileAsync(CancellationToken cancellationToken)
    {
        var modelId = registry.BaseModel.Id;
        if (!_prepared)
        {
            await database.PrepareAsync(modelId, bundled, cancellationToken).ConfigureAwait(false);
            _prepared = true;
        }

        var shared = await database.ReadStateAsync(modelId, cancellationToken).ConfigureAwait(false);
        var problems = new List<string>();
        var cache = registry.Store;
        foreach (var gone in cache.List().Where(c => !shared.Any(s => s.Name == c.Name)))
        {
            await TryAsync(gone.Name, problems, () =>
            {
                registry.Delete(gone.Name);
                return Task.CompletedTask;
            }).ConfigureAwait(false);
        }

        foreach (var adapter in shared)
        {
            if (!await TryAsync(adapter.Name, problems, () => MirrorAsync(adapter, cancellationToken)).ConfigureAwait(false)
                || adapter.DesiredVersion is not { } desired
                || registry.ActiveVersions.GetValueOrDefault(adapter.Name) == desired)
            {
                continue;
            }

            await TryAsync(adapter.Name, problems, () =>
            {
                // The pointer first: the cache then says what is desired even while the load below fails.
                cache.SetActive(adapter.Name, desired);
                registry.Activate(adapter.Name, desired);
                return Task.CompletedTask;
            }).ConfigureAwait(false);
        }

        return problems;
    }

    // Runs one adapter's step; a failure is noted and leaves the other adapters to go on.
    private static async Task<bool> TryAsync(string name, List<string> problems, Func<Task> step)
    {
        try
        {
            await step().ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is AdapterRegistryException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            problems.Add($"adapter '{name}': {ex.Message}");
            return false;
        }
    }

    private async Task MirrorAsync(SharedAdapter adapter, CancellationToken cancellationToken)
    {
        var cache = registry.Store;
        var cached = cache.Find(adapter.Name);
        if (cached is not null && cached.Versions.Any(v => adapter.Digests.GetValueOrDefault(v.Version) != cache.Digest(adapter.Name, v.Version)))
        {
            // Deleted and created anew while this replica was away: the cached versions are other packages.
            registry.Delete(adapter.Name);
            cached = null;
        }

        foreach (var (version, digest) in adapter.Digests)
        {
            if (cached?.HasVersion(version) == true)
            {
                continue;
            }

            var files = await database.ReadFilesAsync(registry.BaseModel.Id, adapter.Name, version, cancellationToken).ConfigureAwait(false);
            if (AdapterChecksums.Digest(files) != digest)
            {
                throw new InvalidDataException($"version {version} read from the database does not match its content address {digest}.");
            }

            cache.StoreVersion(adapter.Name, version, files);
        }
    }
}
