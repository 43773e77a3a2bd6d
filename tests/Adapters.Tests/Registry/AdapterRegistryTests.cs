using SpeechServe.Adapters.Packages;
using SpeechServe.Adapters.Registry;
using SpeechServe.Adapters.Tests.Support;
using SpeechServe.Runtime.Models;

namespace SpeechServe.Adapters.Tests.Registry;

[Collection(AdapterPackageGroup.Name)]
public sealed class AdapterRegistryTests(AdapterPackageFixture fixture)
{
    [Fact]
    public void Upload_Activated_NewRequestsLeaseIt()
    {
        var registry = new RegistryBuilder(fixture).Registry;

        var version = registry.Upload("medical", fixture.Medical, activate: true);

        using var lease = registry.TryAcquire("medical");
        Assert.Equal(1, version);
        Assert.Equal(1, lease?.Version);
        Assert.Null(registry.TryAcquire("callcenter"));
    }

    [Fact]
    public void Upload_NotActivated_PreviousVersionKeepsServing()
    {
        var registry = new RegistryBuilder(fixture).Registry;
        registry.Upload("medical", fixture.Medical, activate: true);

        var version = registry.Upload("medical", fixture.Medical, activate: false);

        Assert.Equal(2, version);
        using var lease = registry.TryAcquire("medical");
        Assert.Equal(1, lease!.Version);
    }

    [Fact]
    public void Upload_BadPackage_RefusedAndPreviousKeepsServing()
    {
        var builder = new RegistryBuilder(fixture);
        builder.Registry.Upload("medical", fixture.Medical, activate: true);

        Assert.Throws<AdapterPackageException>(() => builder.Registry.Upload("medical", fixture.CallCenter, activate: true));

        using var lease = builder.Registry.TryAcquire("medical");
        Assert.Equal(1, lease!.Version);
        Assert.Equal([1], builder.Registry.Describe().Single().Versions);
        Assert.Contains(builder.Events, e => e.Stage == AdapterLifecycleStage.Rejected);
    }

    [Fact]
    public void Activate_WhileLeased_OldVersionServesItsRequestUntilReleased()
    {
        var builder = new RegistryBuilder(fixture);
        var registry = builder.Registry;
        registry.Upload("medical", fixture.Medical, activate: true);
        registry.Upload("medical", fixture.Medical, activate: false);
        var inFlight = registry.TryAcquire("medical")!;

        registry.Activate("medical", 2);

        using (var next = registry.TryAcquire("medical"))
        {
            Assert.Equal(2, next!.Version);
        }

        Assert.Equal(1, inFlight.Version);
        Assert.False(inFlight.Weights.Up.IsEmpty);
        Assert.False(builder.Saw(AdapterLifecycleStage.Released, "medical", 1));
        inFlight.Dispose();
        Assert.True(builder.Saw(AdapterLifecycleStage.Released, "medical", 1));
        Assert.Equal(1, builder.Residency.ResidentCount);
    }

    [Fact]
    public void Delete_WhileLeased_RequestFinishesOnItThenItIsReleased()
    {
        var builder = new RegistryBuilder(fixture);
        var registry = builder.Registry;
        registry.Upload("medical", fixture.Medical, activate: true);
        var inFlight = registry.TryAcquire("medical")!;

        var running = registry.Delete("medical");

        Assert.Equal(1, running);
        Assert.Null(registry.TryAcquire("medical"));
        Assert.Empty(registry.Describe());
        Assert.Equal(1, inFlight.Version);
        Assert.False(builder.Saw(AdapterLifecycleStage.Released, "medical", 1));
        inFlight.Dispose();
        inFlight.Dispose();
        Assert.True(builder.Saw(AdapterLifecycleStage.Released, "medical", 1));
        Assert.Equal(0, builder.Residency.ResidentCount);
    }

    [Fact]
    public void Rollback_AfterActivation_ReturnsToOlderVersion()
    {
        var registry = new RegistryBuilder(fixture).Registry;
        registry.Upload("medical", fixture.Medical, activate: true);
        registry.Upload("medical", fixture.Medical, activate: true);

        var version = registry.Rollback("medical");

        Assert.Equal(1, version);
        Assert.Equal(1, registry.ActiveVersions["medical"]);
        var error = Assert.Throws<AdapterRegistryException>(() => registry.Rollback("medical"));
        Assert.Equal(AdapterRegistryError.Conflict, error.Error);
    }

    [Fact]
    public void Activate_UnknownVersion_NotFoundAndNothingChanges()
    {
        var registry = new RegistryBuilder(fixture).Registry;
        registry.Upload("medical", fixture.Medical, activate: true);

        var error = Assert.Throws<AdapterRegistryException>(() => registry.Activate("medical", 7));

        Assert.Equal(AdapterRegistryError.NotFound, error.Error);
        Assert.Equal(1, registry.ActiveVersions["medical"]);
    }

    [Fact]
    public void Activate_DamagedStoredVersion_RefusedAndPreviousKeepsServing()
    {
        var builder = new RegistryBuilder(fixture);
        builder.Registry.Upload("medical", fixture.Medical, activate: true);
        builder.Registry.Upload("medical", fixture.Medical, activate: false);
        File.WriteAllBytes(Path.Combine(builder.Registry.Store.VersionDirectory("medical", 2), AdapterConfig.WeightsFileName), [1, 2, 3]);

        var error = Assert.Throws<AdapterRegistryException>(() => builder.Registry.Activate("medical", 2));

        Assert.Equal(AdapterRegistryError.Unavailable, error.Error);
        Assert.Equal(1, builder.Registry.ActiveVersions["medical"]);
        Assert.Equal(1, builder.Registry.Store.Find("medical")!.ActiveVersion);
    }

    [Fact]
    public void LoadActive_AfterRestart_ServesActiveVersionsAndSkipsDamagedOnes()
    {
        var first = new RegistryBuilder(fixture);
        first.Registry.Upload("medical", fixture.Medical, activate: true);
        first.Registry.Upload("medical", fixture.Medical, activate: true);
        first.Registry.Upload("callcenter", fixture.CallCenter, activate: true);
        File.WriteAllText(Path.Combine(first.Registry.Store.VersionDirectory("callcenter", 1), AdapterConfig.FileName), "{}");

        var restarted = new RegistryBuilder(fixture, root: first.Root);
        var serving = restarted.Registry.LoadActive();

        Assert.Equal(1, serving);
        Assert.Equal(2, restarted.Registry.ActiveVersions["medical"]);
        var damaged = restarted.Registry.Describe().Single(a => a.Name == "callcenter");
        Assert.Equal("failed", damaged.State);
        Assert.NotNull(damaged.Detail);
        Assert.Null(restarted.Registry.TryAcquire("callcenter"));
    }
}
