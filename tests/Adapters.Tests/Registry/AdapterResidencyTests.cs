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
