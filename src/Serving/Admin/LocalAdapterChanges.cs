using SpeechServe.Adapters.Packages;
using SpeechServe.Adapters.Registry;

namespace SpeechServe.Serving.Admin;

/// <summary>Changes applied to the registry and its local directory store: the single-server default.</summary>
public sealed class LocalAdapterChanges : IAdapterChanges
{
    /// <inheritdoc />
    public Task<int> UploadAsync(AdapterRegistry registry, string name, byte[] zip, bool activate, AdapterPackageLimits limits, CancellationToken cancellationToken) =>
        Task.FromResult(registry.Upload(name, zip, activate, limits));

    /// <inheritdoc />
    public Task ActivateAsync(AdapterRegistry registry, string name, int version, CancellationToken cancellationToken)
    {
        registry.Activate(name, version);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<int> RollbackAsync(AdapterRegistry registry, string name, CancellationToken cancellationToken) => Task.FromResult(registry.Rollback(name));

    /// <inheritdoc />
    public Task<int> DeleteAsync(AdapterRegistry registry, string name, CancellationToken cancellationToken) => Task.FromResult(registry.Delete(name));
}
