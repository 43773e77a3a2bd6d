using System.Collections.Immutable;
using Polly.CircuitBreaker;
using Polly.Timeout;
using SpeechServe.Adapters.Loading;
using SpeechServe.Adapters.Packages;
using SpeechServe.Adapters.Store;
using SpeechServe.Runtime.Encoder;
using SpeechServe.Runtime.Models;

namespace SpeechServe.Adapters.Registry;

/// <summary>
/// The adapters one base model serves. Requests take a lease on the active version; changes (upload,
/// activate, rollback, delete) are serialised, build and check the new version completely, persist the
/// store's pointer, and only then swap the immutable snapshot of active versions in one reference
/// write. A replaced or deleted version keeps serving the requests that leased it and is released when
/// the last one ends. A failed change leaves the previous snapshot serving.
/// </summary>
public sealed class AdapterRegistry
{
    private readonly AdapterStore _store;
    private readonly AdapterLoadPipeline _loader;
    private readonly AdapterResidency _residency;
    private readonly IAdapterLifecycleListener _listener;
    private readonly Action<AdapterWeights>? _checkWeights;
    private readonly Lock _changes = new();
    private readonly Dictionary<(string Name, int Version), ResidentAdapter> _live = [];
    private ImmutableDictionary<string, ResidentAdapter> _active = ImmutableDictionary.Create<string, ResidentAdapter>(StringComparer.Ordinal);
    private ImmutableDictionary<string, string> _failures = ImmutableDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>Creates the registry of <paramref name="baseModel"/> over <paramref name="store"/>; call <see cref="LoadActive"/> next.</summary>
    /// <param name="baseModel">The base model every adapter must fit.</param>
    /// <param name="store">The adapter store.</param>
    /// <param name="loader">The resilience pipeline of package loads.</param>
    /// <param name="residency">The memory budget of resident adapters.</param>
    /// <param name="listener">Receives lifecycle events.</param>
    /// <param name="checkWeights">
    /// Checks a package's weights beyond what the package reader can (a translation decoder's graphs load in the
    /// runtime), on upload and on every load; it throws <see cref="AdapterPackageException"/> to refuse the package.
    /// </param>
    public AdapterRegistry(
        ModelManifest baseModel, AdapterStore store, AdapterLoadPipeline loader, AdapterResidency residency, IAdapterLifecycleListener? listener = null, Action<AdapterWeights>? checkWeights = null)
    {
        _checkWeights = checkWeights;
        BaseModel = baseModel ?? throw new ArgumentNullException(nameof(baseModel));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _loader = loader ?? throw new ArgumentNullException(nameof(loader));
        _residency = residency ?? throw new ArgumentNullException(nameof(residency));
        _listener = listener ?? NullAdapterLifecycleListener.Instance;
    }

    /// <summary>The base model.</summary>
    public ModelManifest BaseModel { get; }

    /// <summary>The store.</summary>
    public AdapterStore Store => _store;

    /// <summary>The active adapters now: name to version.</summary>
    public IReadOnlyDictionary<string, int> ActiveVersions => Volatile.Read(ref _active).ToImmutableDictionary(p => p.Key, p => p.Value.Version, StringComparer.Ordinal);

    /// <summary>Whether <paramref name="name"/> has an active version.</summary>
    public bool IsActive(string name) => Volatile.Read(ref _active).ContainsKey(name);

    /// <summary>
    /// Start-up: clears what an interrupted change left in the store, then loads every adapter's active
    /// version. One that cannot be loaded is reported and skipped; the others serve.
    /// </summary>
    /// <returns>The number of adapters serving.</returns>
    public int LoadActive()
    {
        lock (_changes)
        {
            _store.Recover();
            var active = _active.ToBuilder();
            var failures = _failures.ToBuilder();
            foreach (var stored in _store.List())
            {
                if (stored.ActiveVersion is not { } version)
                {
                    continue;
                }

                try
                {
                    active[stored.Name] = Load(stored.Name, version);
                }
                catch (AdapterRegistryException ex)
                {
                    failures[stored.Name] = ex.Message;
                }
            }

            Volatile.Write(ref _failures, failures.ToImmutable());
            Volatile.Write(ref _active, active.ToImmutable());
            return _active.Count;
        }
    }

    /// <summary>
    /// Leases the active version of <paramref name="name"/> for one request, or returns null when it has
    /// none. Evicted weights are reloaded first.
    /// </summary>
    /// <exception cref="AdapterRegistryException">The weights had to be reloaded and could not be.</exception>
    public AdapterLease? TryAcquire(string name)
    {
        while (true)
        {
            if (!Volatile.Read(ref _active).TryGetValue(name, out var adapter))
            {
                return null;
            }

            // A version is released only after it left the snapshot, so this retries at most once per swap.
            if (!adapter.TryAddLease())
            {
                continue;
            }

            try
            {
                var weights = adapter.GetOrReload(() => LoadPackage(adapter.Name, adapter.Version).Weights);
                return new AdapterLease(adapter, weights, OnReleased);
            }
            catch
            {
                if (adapter.ReturnLease())
                {
                    OnReleased(adapter);
                }

                throw;
            }
        }
    }

    /// <summary>
    /// Checks an uploaded package against the base model, stores it as the next version of
    /// <paramref name="name"/> and, when <paramref name="activate"/>, makes it active.
    /// </summary>
    /// <returns>The new version.</returns>
    /// <exception cref="AdapterPackageException">The package was refused; nothing was stored.</exception>
    /// <exception cref="IOException">The store could not be written (a full disk, say); nothing was stored.</exception>
    public int Upload(string name, byte[] zip, bool activate, AdapterPackageLimits? limits = null)
    {
        var package = Validate(name, zip, limits);
        lock (_changes)
        {
            int version;
            try
            {
                version = _store.AddVersion(name, package.Files);
            }
            catch (IOException ex)
            {
                Report(AdapterLifecycleStage.Rejected, name, null, ex.Message);
                throw;
            }

            Report(AdapterLifecycleStage.Stored, name, version);
            if (activate)
            {
                var adapter = new ResidentAdapter(BaseModel.Id, name, version, package.Package.Weights.ByteSize, package.Package.Weights, package.Package.Config.Language);
                _residency.Admit(adapter);
                _live[(name, version)] = adapter;
                try
                {
                    Swap(name, adapter, version);
                }
                catch (IOException ex)
                {
                    // The active pointer could not be written (a full disk, say): undo the whole upload, so that
                    // a failed upload leaves nothing stored and the previous version serving.
                    _live.Remove((name, version));
                    _residency.Remove(adapter);
                    _store.RemoveVersion(name, version);
                    Report(AdapterLifecycleStage.Rejected, name, version, ex.Message);
                    throw;
                }
            }

            return version;
        }
    }

    /// <summary>Checks an uploaded package of <paramref name="name"/> against the base model without storing it.</summary>
    /// <exception cref="AdapterPackageException">The package was refused.</exception>
    public ValidatedAdapterPackage Validate(string name, byte[] zip, AdapterPackageLimits? limits = null)
    {
        try
        {
            var package = AdapterPackageReader.ReadZip(zip, BaseModel, name, limits);
            _checkWeights?.Invoke(package.Package.Weights);
            return package;
        }
        catch (AdapterPackageException ex)
        {
            Report(AdapterLifecycleStage.Rejected, name, null, ex.Message);
            throw;
        }
    }

    /// <summary>Makes <paramref name="version"/> of <paramref name="name"/> active; requests already running keep theirs.</summary>
    /// <exception cref="AdapterRegistryException">No such version, or it cannot be loaded (the previous version keeps serving).</exception>
    public void Activate(string name, int version)
    {
        lock (_changes)
        {
            var stored = _store.Find(name) ?? throw NotFound(name);
            if (!stored.HasVersion(version))
            {
                throw new AdapterRegistryException(
                    AdapterRegistryError.NotFound, $"adapter '{name}' has no version {version}; it has {string.Join(", ", stored.Versions.Select(v => v.Version))}.");
            }

            if (_active.TryGetValue(name, out var current) && current.Version == version)
            {
                _store.SetActive(name, version);
                return;
            }

            var adapter = _live.TryGetValue((name, version), out var live) && live.TryRevive() ? live : Load(name, version);
            try
            {
                Swap(name, adapter, version);
            }
            catch (IOException ex)
            {
                // The active pointer could not be written: the previous version keeps serving, and the version
                // loaded (or revived) for the swap is let go like any replaced version.
                Report(AdapterLifecycleStage.Rejected, name, version, ex.Message);
                if (adapter.Retire())
                {
                    OnReleased(adapter);
                }

                throw;
            }
        }
    }

    /// <summary>Activates the highest version below the active one.</summary>
    /// <returns>The version now active.</returns>
    /// <exception cref="AdapterRegistryException">No active version, or none older.</exception>
    public int Rollback(string name)
    {
        lock (_changes)
        {
            var stored = _store.Find(name) ?? throw NotFound(name);
            if (stored.ActiveVersion is not { } active)
            {
                throw new AdapterRegistryException(AdapterRegistryError.Conflict, $"adapter '{name}' has no active version to roll back from; activate one.");
            }

            var previous = stored.Versions.Where(v => v.Version < active).Select(v => (int?)v.Version).LastOrDefault()
                ?? throw new AdapterRegistryException(AdapterRegistryError.Conflict, $"adapter '{name}' has no version older than {active} to roll back to.");
            Activate(name, previous);
            return previous;
        }
    }

    /// <summary>
    /// Removes <paramref name="name"/> and all its versions from the store and from serving. Requests
    /// running on it finish on it; its weights are released when the last one ends.
    /// </summary>
    /// <returns>The number of requests still running on it.</returns>
    /// <exception cref="AdapterRegistryException">No such adapter.</exception>
    public int Delete(string name)
    {
        lock (_changes)
        {
            var known = _active.TryGetValue(name, out var current);
            if (!_store.Delete(name) && !known)
            {
                throw NotFound(name);
            }

            Volatile.Write(ref _active, _active.Remove(name));
            Volatile.Write(ref _failures, _failures.Remove(name));
            _loader.Forget(name);
            var inFlight = current?.Leases ?? 0;
            if (current is not null && current.Retire())
            {
                OnReleased(current);
            }

            Report(AdapterLifecycleStage.Deleted, name, current?.Version, inFlight > 0 ? $"{inFlight} requests still running on it" : null);
            return inFlight;
        }
    }

    /// <summary>Every stored adapter with its versions and state.</summary>
    public IReadOnlyList<AdapterStatus> Describe()
    {
        var active = Volatile.Read(ref _active);
        var failures = Volatile.Read(ref _failures);
        List<ResidentAdapter> live;
        lock (_changes)
        {
            live = [.. _live.Values];
        }

        return _store.List().Select(stored =>
        {
            var mine = live.Where(a => a.Name == stored.Name).ToList();
            var serving = active.GetValueOrDefault(stored.Name);
            var state = serving is not null ? "active" : failures.ContainsKey(stored.Name) ? "failed" : "inactive";
            return new AdapterStatus(
                stored.Name,
                BaseModel.Id,
                serving?.Version ?? stored.ActiveVersion,
                stored.ActiveVersion,
                serving?.Version,
                stored.Versions.Select(v => v.Version).ToList(),
                stored.Versions.Sum(v => v.Bytes),
                mine.Where(a => a.IsResident).Sum(a => a.Bytes),
                mine.Sum(a => a.Leases),
                state,
                failures.GetValueOrDefault(stored.Name));
        }).ToList();
    }

    private void Swap(string name, ResidentAdapter adapter, int version)
    {
        _store.SetActive(name, version);
        _active.TryGetValue(name, out var previous);
        Volatile.Write(ref _active, _active.SetItem(name, adapter));
        Volatile.Write(ref _failures, _failures.Remove(name));
        Report(AdapterLifecycleStage.Activated, name, version);
        if (previous is not null && previous != adapter && previous.Retire())
        {
            OnReleased(previous);
        }
    }

    private ResidentAdapter Load(string name, int version)
    {
        var package = LoadPackage(name, version);
        var adapter = new ResidentAdapter(BaseModel.Id, name, version, package.Weights.ByteSize, package.Weights, package.Config.Language);
        _residency.Admit(adapter);
        _live[(name, version)] = adapter;
        return adapter;
    }

    private LoadedAdapterPackage LoadPackage(string name, int version)
    {
        try
        {
            var package = _loader.Execute(name, version, token => Checked(_store.Read(name, version, BaseModel, token)));
            Report(AdapterLifecycleStage.Loaded, name, version);
            return package;
        }
        catch (Exception ex) when (ex is AdapterPackageException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            Report(AdapterLifecycleStage.LoadFailed, name, version, ex.Message);
            throw new AdapterRegistryException(AdapterRegistryError.Unavailable, $"version {version} of adapter '{name}' cannot be loaded: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is BrokenCircuitException or TimeoutRejectedException)
        {
            Report(AdapterLifecycleStage.LoadFailed, name, version, ex.Message);
            throw new AdapterRegistryException(
                AdapterRegistryError.Unavailable, $"version {version} of adapter '{name}' is not loading now ({ex.Message}); retry later.", ex);
        }
    }

    private LoadedAdapterPackage Checked(LoadedAdapterPackage package)
    {
        _checkWeights?.Invoke(package.Weights);
        return package;
    }

    private void OnReleased(ResidentAdapter adapter)
    {
        _residency.Remove(adapter);
        lock (_changes)
        {
            if (_live.TryGetValue((adapter.Name, adapter.Version), out var live) && live == adapter)
            {
                _live.Remove((adapter.Name, adapter.Version));
            }
        }

        Report(AdapterLifecycleStage.Released, adapter.Name, adapter.Version);
    }

    private void Report(AdapterLifecycleStage stage, string name, int? version, string? detail = null) =>
        _listener.OnLifecycleEvent(new AdapterLifecycleEvent(stage, BaseModel.Id, name, version, detail));

    private static AdapterRegistryException NotFound(string name) =>
        new(AdapterRegistryError.NotFound, $"there is no adapter '{name}'.");
}
