using SpeechServe.Adapters.Packages;
using SpeechServe.Adapters.Registry;
using SpeechServe.Serving.Admin;

namespace SpeechServe.Serving.Cluster;

/// <summary>
/// Changes committed to the database shared by every replica, then applied here at once; the other replicas
/// apply them on the notification. A package is checked against the base model before anything is committed.
/// </summary>
public sealed class ClusterAdapterChanges(AdapterCluster cluster) : IAdapterChanges
{
    /// <inheritdoc />
    public async Task<int> UploadAsync(AdapterRegistry registry, string name, byte[] zip, bool activate, AdapterPackageLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var package = registry.Validate(name, zip, limits);
        return await CommitAsync(() => cluster.Database.AddVersionAsync(registry.BaseModel.Id, name, package.Files, activate, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task ActivateAsync(AdapterRegistry registry, string name, int version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return CommitAsync(
            async () =>
            {
                await cluster.Database.ActivateAsync(registry.BaseModel.Id, name, version, cancellationToken).ConfigureAwait(false);
                return version;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> RollbackAsync(AdapterRegistry registry, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return CommitAsync(() => cluster.Database.RollbackAsync(registry.BaseModel.Id, name, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> DeleteAsync(AdapterRegistry registry, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var inFlight = registry.Describe().FirstOrDefault(a => a.Name == name)?.InFlight ?? 0;
        return CommitAsync(
            async () =>
            {
                await cluster.Database.DeleteAsync(registry.BaseModel.Id, name, cancellationToken).ConfigureAwait(false);
                return inFlight;
            },
            cancellationToken);
    }

    private async Task<int> CommitAsync(Func<Task<int>> change, CancellationToken cancellationToken)
    {
        int result;
        try
        {
            result = await change().ConfigureAwait(false);
        }
        catch (Exception ex) when (AdapterCluster.IsUnreachable(ex) && !cancellationToken.IsCancellationRequested)
        {
            throw new AdapterRegistryException(
                AdapterRegistryError.Unavailable,
                $"the adapter database cannot be reached ({ex.Message}); changes are refused until it is back, and every replica keeps serving its cached versions.",
                ex);
        }

        await cluster.ApplyCommittedChangeAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }
}
