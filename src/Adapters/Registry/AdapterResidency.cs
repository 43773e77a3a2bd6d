namespace SpeechServe.Adapters.Registry;

/// <summary>
/// Keeps the weights of active adapters within a memory budget shared by every base model: when a
/// version is loaded past the budget, the least recently used idle versions are evicted (they reload on
/// their next request). Versions in use are never evicted, so the budget can be exceeded while every
/// resident version is leased.
/// </summary>
public sealed class AdapterResidency
{
    private readonly Lock _gate = new();
    private readonly List<ResidentAdapter> _adapters = [];

    /// <summary>Creates the residency with a budget in bytes (0 or less: unlimited).</summary>
    public AdapterResidency(long budgetBytes) => BudgetBytes = budgetBytes;

    /// <summary>The budget in bytes; 0 or less is unlimited.</summary>
    public long BudgetBytes { get; }

    /// <summary>Raised after each eviction with its <see cref="AdapterLifecycleStage.Evicted"/> step.</summary>
    public event Action<AdapterLifecycleEvent>? Evicted;

    /// <summary>Bytes of weights held now.</summary>
    public long ResidentBytes
    {
        get
        {
            lock (_gate)
            {
                return _adapters.Where(a => a.IsResident).Sum(a => a.Bytes);
            }
        }
    }

    /// <summary>How many versions hold their weights now.</summary>
    public int ResidentCount
    {
        get
        {
            lock (_gate)
            {
                return _adapters.Count(a => a.IsResident);
            }
        }
    }

    /// <summary>The versions holding their weights now and their bytes, per base model id; models with none are absent.</summary>
    public IReadOnlyDictionary<string, ResidencyUsage> UsageByBaseModel()
    {
        lock (_gate)
        {
            return _adapters.Where(a => a.IsResident)
                .GroupBy(a => a.BaseModel, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => new ResidencyUsage(g.Count(), g.Sum(a => a.Bytes)), StringComparer.Ordinal);
        }
    }

    internal void Admit(ResidentAdapter adapter)
    {
        adapter.Residency = this;
        List<ResidentAdapter> evicted = [];
        lock (_gate)
        {
            if (!_adapters.Contains(adapter))
            {
                _adapters.Add(adapter);
            }

            if (BudgetBytes > 0)
            {
                var resident = _adapters.Where(a => a.IsResident).Sum(a => a.Bytes);
                foreach (var candidate in _adapters.Where(a => a != adapter && a.IsResident).OrderBy(a => a.LastUsed).ToList())
                {
                    if (resident <= BudgetBytes)
                    {
                        break;
                    }

                    if (candidate.TryEvict())
                    {
                        resident -= candidate.Bytes;
                        evicted.Add(candidate);
                    }
                }
            }
        }

        foreach (var candidate in evicted)
        {
            Evicted?.Invoke(new AdapterLifecycleEvent(AdapterLifecycleStage.Evicted, candidate.BaseModel, candidate.Name, candidate.Version));
        }
    }

    internal void Remove(ResidentAdapter adapter)
    {
        lock (_gate)
        {
            _adapters.Remove(adapter);
        }
    }
}

/// <summary>What one base model's adapters hold in memory.</summary>
/// <param name="Versions">Adapter versions holding their weights.</param>
/// <param name="Bytes">Bytes of those weights.</param>
public sealed record ResidencyUsage(int Versions, long Bytes);
