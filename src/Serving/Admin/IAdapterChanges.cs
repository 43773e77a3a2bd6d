using SpeechServe.Adapters.Packages;
using SpeechServe.Adapters.Registry;

namespace SpeechServe.Serving.Admin;

/// <summary>
/// Where the admin API's changes go: the local store (<see cref="LocalAdapterChanges"/>) or the database shared
/// by every replica (<see cref="Cluster.ClusterAdapterChanges"/>). Refusals throw what the registry throws.
/// </summary>
public interface IAdapterChanges
{
    /// <summary>Checks and stores a package as the next version of <paramref name="name"/>, activated when <paramref name="activate"/>.</summary>
    /// <returns>The new version.</returns>
    Task<int> UploadAsync(AdapterRegistry registry, string name, byte[] zip, bool activate, AdapterPackageLimits limits, CancellationToken cancellationToken);

    /// <summary>Makes <paramref name="version"/> the active version.</summary>
    Task ActivateAsync(AdapterRegistry registry, string name, int version, CancellationToken cancellationToken);

    /// <summary>Activates the highest version below the active one.</summary>
    /// <returns>The version now active.</returns>
    Task<int> RollbackAsync(AdapterRegistry registry, string name, CancellationToken cancellationToken);

    /// <summary>Removes the adapter; requests running on it finish on it.</summary>
    /// <returns>The number of requests still running on it here.</returns>
    Task<int> DeleteAsync(AdapterRegistry registry, string name, CancellationToken cancellationToken);
}
