using SpeechServe.Adapters.Packages;
using SpeechServe.Adapters.Store;
using SpeechServe.Adapters.Tests.Support;
using SpeechServe.Runtime.Models;

namespace SpeechServe.Adapters.Tests.Store;

[Collection(AdapterPackageGroup.Name)]
public sealed class AdapterStoreTests(AdapterPackageFixture fixture)
{
    [Fact]
    public void AddVersion_NewAdapter_StoresInactiveVersionWithChecksums()
    {
        var store = new AdapterStore(fixture.NewDirectory());

        var version = store.AddVersion("medical", Files(fixture.Medical));

        Assert.Equal(1, version);
        var stored = Assert.Single(store.List());
        Assert.Null(stored.ActiveVersion);
        Assert.True(File.Exists(Path.Combine(store.VersionDirectory("medical", 1), AdapterStore.ChecksumFileName)));
        Assert.Equal("medical", store.Read("medical", 1, fixture.Manifest).Config.Name);
    }

    [Fact]
    public void AddVersion_TranslationPackage_StoresAndReadsBackBothDecoderGraphs()
    {
        var store = new AdapterStore(fixture.NewDirectory());

        store.AddVersion("translate-de", Files(fixture.Translation));

        var directory = store.VersionDirectory("translate-de", 1);
        var sums = File.ReadAllText(Path.Combine(directory, AdapterStore.ChecksumFileName));
        foreach (var graph in AdapterPackageFiles.Translation)
        {
            Assert.True(File.Exists(Path.Combine(directory, graph)), graph);
            Assert.Contains("  " + graph + "\n", sums, StringComparison.Ordinal);
        }

        Assert.NotNull(store.Read("translate-de", 1, fixture.Manifest).Weights.Translation);
    }

    [Fact]
    public void SetActive_SecondVersion_PointerNamesIt()
    {
        var store = new AdapterStore(fixture.NewDirectory());
        store.AddVersion("medical", Files(fixture.Medical));
        store.AddVersion("medical", Files(fixture.Medical));

        store.SetActive("medical", 2);

        var stored = store.Find("medical")!;
        Assert.Equal([1, 2], stored.Versions.Select(v => v.Version));
        Assert.Equal(2, stored.ActiveVersion);
    }

    [Fact]
    public void Recover_CrashLeftovers_PreviousStateIntact()
    {
        var root = fixture.NewDirectory();
        var store = new AdapterStore(root);
        store.AddVersion("medical", Files(fixture.Medical));
        store.SetActive("medical", 1);

        // A crash while writing version 2 (half-written staging directory), while replacing the pointer
        // (its temporary file), and while deleting another adapter (renamed out of sight, not yet removed).
        var staging = Path.Combine(root, "medical", ".tmp-0123456789abcdef");
        Directory.CreateDirectory(staging);
        File.WriteAllBytes(Path.Combine(staging, AdapterConfig.WeightsFileName), new byte[100]);
        File.WriteAllText(Path.Combine(root, "medical", "active.tmp-0123456789abcdef"), "2");
        Directory.CreateDirectory(Path.Combine(root, ".deleted-callcenter-0123", "1"));

        var restarted = new AdapterStore(root);
        var removed = restarted.Recover();

        Assert.Equal(3, removed.Count);
        var stored = Assert.Single(restarted.List());
        Assert.Equal("medical", stored.Name);
        Assert.Equal(1, stored.ActiveVersion);
        Assert.Equal([1], stored.Versions.Select(v => v.Version));
        Assert.Equal(2, restarted.AddVersion("medical", Files(fixture.Medical)));
    }

    [Fact]
    public void Find_CrashBeforeFirstActivation_NewAdapterStaysInactive()
    {
        var root = fixture.NewDirectory();
        var store = new AdapterStore(root);

        // Upload with activation: the version is renamed into place, then the process dies before the pointer moves.
        store.AddVersion("callcenter", Files(fixture.CallCenter));

        Assert.Null(new AdapterStore(root).Find("callcenter")!.ActiveVersion);
    }

    [Fact]
    public void Find_ExporterLayoutWithoutPointer_HighestVersionIsActive()
    {
        var root = fixture.NewDirectory();
        foreach (var version in new[] { "1", "2" })
        {
            var directory = Path.Combine(root, "medical", version);
            Directory.CreateDirectory(directory);
            foreach (var (name, content) in Files(fixture.Medical))
            {
                File.WriteAllBytes(Path.Combine(directory, name), content);
            }
        }

        var stored = new AdapterStore(root).Find("medical")!;

        Assert.Equal(2, stored.ActiveVersion);
    }

    [Fact]
    public void Read_DamagedFile_FailsItsChecksum()
    {
        var store = new AdapterStore(fixture.NewDirectory());
        store.AddVersion("medical", Files(fixture.Medical));
        var weights = Path.Combine(store.VersionDirectory("medical", 1), AdapterConfig.WeightsFileName);
        var bytes = File.ReadAllBytes(weights);
        bytes[^1] ^= 0x01;
        File.WriteAllBytes(weights, bytes);

        var error = Assert.Throws<AdapterPackageException>(() => store.Read("medical", 1, fixture.Manifest));

        Assert.Equal(AdapterPackageRules.Checksum, error.Rule);
    }

    [Fact]
    public void Delete_StoredAdapter_LeavesNothing()
    {
        var root = fixture.NewDirectory();
        var store = new AdapterStore(root);
        store.AddVersion("medical", Files(fixture.Medical));

        Assert.True(store.Delete("medical"));

        Assert.Empty(store.List());
        Assert.Empty(Directory.GetFileSystemEntries(root));
        Assert.False(store.Delete("medical"));
    }

    [Fact]
    public void StoreVersion_NumberGivenByASharedStore_StoredUnderItInactiveAndNextAddFollowsIt()
    {
        var store = new AdapterStore(fixture.NewDirectory());

        store.StoreVersion("medical", 7, Files(fixture.Medical));

        var stored = Assert.Single(store.List());
        Assert.Equal([7], stored.Versions.Select(v => v.Version));
        Assert.Null(stored.ActiveVersion);
        Assert.Throws<IOException>(() => store.StoreVersion("medical", 7, Files(fixture.Medical)));
        Assert.Equal(8, store.AddVersion("medical", Files(fixture.Medical)));
    }

    [Fact]
    public void Digest_StoredVersionWithAndWithoutChecksumFile_IsTheContentAddressOfItsFiles()
    {
        var store = new AdapterStore(fixture.NewDirectory());
        var files = Files(fixture.Medical);
        store.AddVersion("medical", files);
        store.AddVersion("medical", Files(fixture.CallCenter));

        Assert.Equal(AdapterChecksums.Digest(files), store.Digest("medical", 1));
        Assert.NotEqual(store.Digest("medical", 1), store.Digest("medical", 2));
        File.Delete(Path.Combine(store.VersionDirectory("medical", 1), AdapterStore.ChecksumFileName));
        Assert.Equal(AdapterChecksums.Digest(files), store.Digest("medical", 1));
    }

    private static IReadOnlyDictionary<string, byte[]> Files(byte[] zip) => AdapterZipReader.Read(zip);
}
