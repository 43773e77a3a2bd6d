using SpeechServe.Adapters.Registry;
using SpeechServe.Adapters.Tests.Support;

namespace SpeechServe.Adapters.Tests.Registry;

[Collection(AdapterPackageGroup.Name)]
public sealed class AdapterResidencyTests(AdapterPackageFixture fixture)
{
    [Fact]
    public void Admit_PastBudget_EvictsLeastRecentlyUsedAndReloadsOnDemand()
    {
        var probe = new RegistryBuilder(fixture);
        probe.Registry.Upload("medical", fixture.Medical, activate: true);
        var oneAdapter = probe.Residency.ResidentBytes;
        var builder = new RegistryBuilder(fixture, budgetBytes: oneAdapter);
        var registry = builder.Registry;

        registry.Upload("medical", fixture.Medical, activate: true);
        registry.Upload("callcenter", fixture.CallCenter, activate: true);

        Assert.False(builder.Saw(AdapterLifecycleStage.Loaded, "medical", 1));
        Assert.Equal(1, builder.Residency.ResidentCount);
        Assert.Equal(oneAdapter, builder.Residency.ResidentBytes);
        using (var reloaded = registry.TryAcquire("medical"))
        {
            Assert.Equal(1, reloaded!.Version);
            Assert.True(builder.Saw(AdapterLifecycleStage.Loaded, "medical", 1));
        }

        Assert.Equal(1, builder.Residency.ResidentCount);
        Assert.Equal(0, registry.Describe().Single(a => a.Name == "callcenter").ResidentBytes);
    }

    [Fact]
    public void Admit_PastBudget_RaisesEvictedForTheBaseModelAndCountsWhatStays()
    {
        var probe = new RegistryBuilder(fixture);
        probe.Registry.Upload("medical", fixture.Medical, activate: true);
        var builder = new RegistryBuilder(fixture, budgetBytes: probe.Residency.ResidentBytes);
        var evicted = new List<AdapterLifecycleEvent>();
        builder.Residency.Evicted += evicted.Add;

        builder.Registry.Upload("medical", fixture.Medical, activate: true);
        Assert.Equal(new ResidencyUsage(1, probe.Residency.ResidentBytes), builder.Residency.UsageByBaseModel()[fixture.Manifest.Id]);
        builder.Registry.Upload("callcenter", fixture.CallCenter, activate: true);

        var step = Assert.Single(evicted);
        Assert.Equal(new AdapterLifecycleEvent(AdapterLifecycleStage.Evicted, fixture.Manifest.Id, "medical", 1), step);
        var usage = Assert.Single(builder.Residency.UsageByBaseModel());
        Assert.Equal(fixture.Manifest.Id, usage.Key);
        Assert.Equal(new ResidencyUsage(1, builder.Residency.ResidentBytes), usage.Value);
    }

    [Fact]
    public void UsageByBaseModel_NothingLoaded_IsEmpty()
    {
        Assert.Empty(new RegistryBuilder(fixture).Residency.UsageByBaseModel());
    }

    [Fact]
    public void Admit_LeasedVersion_IsNeverEvicted()
    {
        var probe = new RegistryBuilder(fixture);
        probe.Registry.Upload("medical", fixture.Medical, activate: true);
        var builder = new RegistryBuilder(fixture, budgetBytes: probe.Residency.ResidentBytes);
        var registry = builder.Registry;
        registry.Upload("medical", fixture.Medical, activate: true);
        using var lease = registry.TryAcquire("medical");

        registry.Upload("callcenter", fixture.CallCenter, activate: true);

        Assert.Equal(2, builder.Residency.ResidentCount);
        Assert.False(lease!.Weights.Down.IsEmpty);
    }
}
