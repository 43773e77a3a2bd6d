using SpeechServe.Adapters.Loading;
using SpeechServe.Adapters.Registry;
using SpeechServe.Adapters.Store;
using SpeechServe.Adapters.Tests.Support;

namespace SpeechServe.Adapters.Tests.Registry;

/// <summary>A registry over a fresh store, recording its lifecycle steps.</summary>
internal sealed class RegistryBuilder : IAdapterLifecycleListener
{
    public RegistryBuilder(AdapterPackageFixture fixture, long budgetBytes = 0, string? root = null)
    {
        Root = root ?? fixture.NewDirectory();
        Residency = new AdapterResidency(budgetBytes);
        Registry = new AdapterRegistry(
            fixture.Manifest,
            new AdapterStore(Root),
            new AdapterLoadPipeline(new AdapterLoadOptions { MaxRetries = 0 }),
            Residency,
            this);
    }

    public string Root { get; }

    public AdapterResidency Residency { get; }

    public AdapterRegistry Registry { get; }

    public List<AdapterLifecycleEvent> Events { get; } = [];

    public void OnLifecycleEvent(AdapterLifecycleEvent lifecycleEvent)
    {
        lock (Events)
        {
            Events.Add(lifecycleEvent);
        }
    }

    public bool Saw(AdapterLifecycleStage stage, string name, int version)
    {
        lock (Events)
        {
            return Events.Any(e => e.Stage == stage && e.Name == name && e.Version == version);
        }
    }
}
