using Microsoft.Extensions.Options;
using SpeechServe.Adapters.Loading;
using SpeechServe.Adapters.Registry;
using SpeechServe.Adapters.Store;
using SpeechServe.Runtime.Models;
using SpeechServe.Serving.Admin;

namespace SpeechServe.Serving.Models;

/// <summary>Builds each base model's adapter registry over its store, sharing the residency budget and load policies.</summary>
public sealed class AdapterRegistryFactory(IOptions<AdapterOptions> options, IAdapterLifecycleListener listener)
{
    private readonly AdapterResidency _residency = new(options.Value.MemoryBudgetBytes);
    private readonly AdapterLoadPipeline _loader = new(options.Value.LoadOptions);

    /// <summary>The residency shared by every model.</summary>
    public AdapterResidency Residency => _residency;

    /// <summary>The registry of <paramref name="model"/>, with its active adapters loaded.</summary>
    public AdapterRegistry CreateAndLoad(SpeechModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var storePath = string.IsNullOrEmpty(options.Value.StorePath)
            ? Path.Combine(model.Directory, "adapters")
            : Path.Combine(Path.GetFullPath(options.Value.StorePath), model.Id);
        var registry = new AdapterRegistry(model.Manifest, new AdapterStore(storePath), _loader, _residency, listener);
        registry.LoadActive();
        return registry;
    }
}
