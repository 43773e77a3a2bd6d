using Microsoft.Extensions.Options;
using SpeechServe.Adapters.Loading;
using SpeechServe.Adapters.Packages;
using SpeechServe.Adapters.Registry;
using SpeechServe.Adapters.Store;
using SpeechServe.Runtime.Encoder;
using SpeechServe.Runtime.Models;
using Microsoft.ML.OnnxRuntime;
using SpeechServe.Runtime.Translation;
using SpeechServe.Serving.Admin;
using SpeechServe.Serving.Cluster;

namespace SpeechServe.Serving.Models;

/// <summary>Builds each base model's adapter registry over its store, sharing the residency budget and load policies.</summary>
public sealed class AdapterRegistryFactory
{
    private readonly IOptions<AdapterOptions> _options;
    private readonly IAdapterLifecycleListener _listener;
    private readonly AdapterResidency _residency;
    private readonly AdapterLoadPipeline _loader;
    private readonly AdapterCluster? _cluster;

    /// <summary>Creates the shared residency and load pipeline; evictions go to <paramref name="listener"/> like every other step.</summary>
    /// <param name="options">The adapter settings.</param>
    /// <param name="listener">Receives lifecycle events.</param>
    /// <param name="cluster">The shared store's reconciliation, when a database is configured.</param>
    public AdapterRegistryFactory(IOptions<AdapterOptions> options, IAdapterLifecycleListener listener, AdapterCluster? cluster = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(listener);
        _options = options;
        _listener = listener;
        _cluster = cluster;
        _residency = new AdapterResidency(options.Value.MemoryBudgetBytes);
        _residency.Evicted += listener.OnLifecycleEvent;
        _loader = new AdapterLoadPipeline(options.Value.LoadOptions);
    }

    /// <summary>The residency shared by every model.</summary>
    public AdapterResidency Residency => _residency;

    /// <summary>The registry of <paramref name="model"/>, with its active adapters loaded (in a cluster, reconciled with the database).</summary>
    /// <param name="model">The base model.</param>
    /// <param name="translator">The model's translator: translation adapters are refused unless it can load their decoder.</param>
    public AdapterRegistry CreateAndLoad(SpeechModel model, SpeechTranslator translator)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(translator);
        var bundled = Path.Combine(model.Directory, "adapters");
        var storePath = string.IsNullOrEmpty(_options.Value.StorePath) ? bundled : Path.Combine(Path.GetFullPath(_options.Value.StorePath), model.Id);
        var registry = new AdapterRegistry(model.Manifest, new AdapterStore(storePath), _loader, _residency, _listener, weights => CheckDecoder(translator, weights));
        registry.LoadActive();
        _cluster?.Attach(registry, bundled);
        return registry;
    }

    private static void CheckDecoder(SpeechTranslator translator, AdapterWeights weights)
    {
        if (weights.Translation is not { } head)
        {
            return;
        }

        try
        {
            translator.Prepare(head);
        }
        catch (Exception ex) when (ex is InvalidDataException or OnnxRuntimeException)
        {
            throw new AdapterPackageException(AdapterPackageRules.Decoder, $"the decoder graphs do not run on this model: {ex.Message}", ex);
        }
    }
}
