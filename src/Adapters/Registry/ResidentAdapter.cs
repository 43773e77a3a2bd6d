using SpeechServe.Runtime.Encoder;

namespace SpeechServe.Adapters.Registry;

/// <summary>
/// One version of an adapter that is, or was recently, active: its weights (null while evicted), the
/// number of requests leasing it, and whether it has been replaced. Replaced versions keep their weights
/// until the last lease ends; then they are released for good.
/// </summary>
internal sealed class ResidentAdapter(string baseModel, string name, int version, long bytes, AdapterWeights weights, string language)
{
    private readonly Lock _gate = new();
    private readonly Lock _loadGate = new();
    private AdapterWeights? _weights = weights;
    private int _leases;
    private bool _retired;
    private bool _released;
    private long _lastUsed = Environment.TickCount64;

    public string BaseModel { get; } = baseModel;

    public string Name { get; } = name;

    public int Version { get; } = version;

    public long Bytes { get; } = bytes;

    /// <summary>The language of the speech the adapter recognises (its <c>adapter_config.json</c>).</summary>
    public string Language { get; } = language;

    public AdapterResidency? Residency { get; set; }

    public int Leases
    {
        get
        {
            lock (_gate)
            {
                return _leases;
            }
        }
    }

    public bool IsResident => Volatile.Read(ref _weights) is not null;

    public long LastUsed => Interlocked.Read(ref _lastUsed);

    /// <summary>Takes a lease unless the version was already released.</summary>
    public bool TryAddLease()
    {
        lock (_gate)
        {
            if (_released)
            {
                return false;
            }

            _leases++;
            Interlocked.Exchange(ref _lastUsed, Environment.TickCount64);
            return true;
        }
    }

    /// <summary>The weights of a leased version, reloaded by <paramref name="reload"/> if they were evicted.</summary>
    public AdapterWeights GetOrReload(Func<AdapterWeights> reload)
    {
        if (Volatile.Read(ref _weights) is { } weights)
        {
            return weights;
        }

        lock (_loadGate)
        {
            if (Volatile.Read(ref _weights) is { } loaded)
            {
                return loaded;
            }

            var reloaded = reload();
            Volatile.Write(ref _weights, reloaded);
            Residency?.Admit(this);
            return reloaded;
        }
    }

    /// <summary>Ends a lease; returns true when that released a retired version.</summary>
    public bool ReturnLease()
    {
        lock (_gate)
        {
            _leases--;
            return _leases == 0 && _retired && Release();
        }
    }

    /// <summary>Marks the version replaced; returns true when it had no leases and was released now.</summary>
    public bool Retire()
    {
        lock (_gate)
        {
            _retired = true;
            return _leases == 0 && Release();
        }
    }

    /// <summary>Makes a retired version active again, unless it was already released.</summary>
    public bool TryRevive()
    {
        lock (_gate)
        {
            if (_released)
            {
                return false;
            }

            _retired = false;
            return true;
        }
    }

    /// <summary>Drops the weights of an idle version to free memory; they reload on the next lease.</summary>
    public bool TryEvict()
    {
        lock (_gate)
        {
            if (_leases > 0 || _weights is null)
            {
                return false;
            }

            Volatile.Write(ref _weights, null);
            return true;
        }
    }

    private bool Release()
    {
        if (_released)
        {
            return false;
        }

        _released = true;
        Volatile.Write(ref _weights, null);
        return true;
    }
}
