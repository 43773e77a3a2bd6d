using System.Buffers.Binary;
using System.IO.Compression;
using FsCheck;
using FsCheck.Fluent;
using SpeechServe.Adapters.Packages;
using SpeechServe.Adapters.Tests.Support;
using SpeechServe.Tests.Support;

namespace SpeechServe.Adapters.Tests.Packages;

/// <summary>
/// Properties of adapter package validation, which reads the zip bodies of <c>PUT /admin/adapters/{name}</c>:
/// a valid package is accepted however it is zipped; random and mutated archives (bit flips, truncations,
/// inflated sizes in the local and central headers) only raise <see cref="AdapterPackageException"/> and never
/// allocate more than the limits allow; headers claiming huge entries are refused before anything is inflated.
/// </summary>
[Collection(AdapterPackageGroup.Name)]
public sealed class AdapterPackagePropertyTests(AdapterPackageFixture fixture)
{
    private const long FixedAllowance = 1024 * 1024;

    [Fact]
    public void ReadZip_ValidPackageZippedAnyWay_AcceptedWithTheSameFiles()
    {
        var original = PackageZip.Entries(fixture.Medical);
        var rezipped = from order in Gen.Shuffle(original.ToArray())
                       from level in Gen.Elements(CompressionLevel.NoCompression, CompressionLevel.Fastest, CompressionLevel.Optimal, CompressionLevel.SmallestSize)
                       select (Zip: Zip(order, level), Entries: order);
        ParserProperty.Check(rezipped, package =>
        {
            var validated = AdapterPackageReader.ReadZip(package.Zip, fixture.Manifest, "medical");

            Assert.Equal("medical", validated.Package.Config.Name);
            Assert.Equal(package.Entries.Length, validated.Files.Count);
            foreach (var (name, content) in package.Entries)
            {
                Assert.Equal(content, validated.Files[name]);
            }
        }, cases: 40);
    }

    [Fact]
    public void ReadZip_MutatedPackage_OnlyAdapterPackageExceptionWithinTheLimits()
    {
        var valid = Gen.Elements(fixture.Medical, fixture.CallCenter, Zip(PackageZip.Entries(fixture.Medical), CompressionLevel.NoCompression));
        var mutated = Gen.OneOf(ByteMutations.Mutated(valid), SizeFieldsInflated(valid));
        ParserProperty.Check(mutated, Check);
    }

    [Fact]
    public void ReadZip_RandomBytes_OnlyAdapterPackageException()
    {
        var random = Gen.OneOf(
            ByteMutations.RandomBytes(2048),
            ByteMutations.RandomBytes(512).Select(body => (byte[])[.. "PK\u0003\u0004"u8, .. body]),
            ByteMutations.RandomBytes(512).Select(body => (byte[])[.. body, .. "PK\u0005\u0006"u8, .. new byte[18]]));
        ParserProperty.Check(random, Check);
    }

    [Fact]
    public void ReadZip_EntryClaimingHugeSizes_RefusedWithoutAllocatingForIt()
    {
        // A small stored package whose central directory says an entry is hundreds of megabytes, compressed or not.
        var small = Zip([("adapter_config.json", "{}"u8.ToArray()), ("adapter_model.safetensors", new byte[64])], CompressionLevel.NoCompression);
        var claims = from entry in Gen.Choose(0, 1)
                     from field in Gen.Elements(20, 24)
                     from size in Gen.Elements(200u << 20, 255u << 20, 0x7FFF_FFFFu, 0xFFFF_FFFEu, 64u << 20)
                     select (entry, field, size);
        ParserProperty.Check(claims, claim =>
        {
            var zip = (byte[])small.Clone();
            var header = CentralHeaders(zip).ElementAt(claim.entry);
            BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(header + claim.field), claim.size);

            var before = GC.GetAllocatedBytesForCurrentThread();
            Assert.Throws<AdapterPackageException>(() => AdapterPackageReader.ReadZip(zip, fixture.Manifest, "medical"));
            Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, FixedAllowance);
        }, cases: 50);
    }

    [Fact]
    public void ReadZip_EntryClaimingMoreCompressedBytesThanThePackage_RefusedWithoutAllocatingForIt()
    {
        // Sizes that agree with each other and pass the ratio check, but name more compressed bytes than exist:
        // trusting them would allocate up to MaxUncompressedBytes for a package of a few hundred bytes.
        var small = Zip([("adapter_config.json", "{}"u8.ToArray()), ("adapter_model.safetensors", new byte[64])], CompressionLevel.NoCompression);
        var claims = from entry in Gen.Choose(0, 1)
                     from compressed in Gen.Elements(1u << 20, 2u << 20, 2_600_000u, (uint)small.Length + 1)
                     from ratio in Gen.Choose(1, 99)
                     select (entry, compressed, uncompressed: (uint)Math.Min((long)compressed * ratio, 250L << 20));
        ParserProperty.Check(claims, claim =>
        {
            var zip = (byte[])small.Clone();
            var header = CentralHeaders(zip).ElementAt(claim.entry);
            BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(header + 20), claim.compressed);
            BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(header + 24), claim.uncompressed);

            var before = GC.GetAllocatedBytesForCurrentThread();
            Assert.Throws<AdapterPackageException>(() => AdapterPackageReader.ReadZip(zip, fixture.Manifest, "medical"));
            Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, FixedAllowance);
        }, cases: 50);
    }

    // The entries' buffers (each at most the ratio times its compressed size, which is at most the package)
    // and what the weights reader builds from them, plus a fixed allowance.
    private void Check(byte[] zip) =>
        ParserProperty.Guarded<ValidatedAdapterPackage, AdapterPackageException>(
            zip,
            (2 * Math.Min(AdapterPackageLimits.Default.MaxUncompressedBytes, (long)(AdapterPackageLimits.Default.MaxCompressionRatio * zip.Length))) + FixedAllowance,
            bytes => AdapterPackageReader.ReadZip(bytes, fixture.Manifest, "medical"));

    // Overwrites the compressed or uncompressed size of a central directory or local header with a large value.
    private static Gen<byte[]> SizeFieldsInflated(Gen<byte[]> valid) =>
        from zip in valid
        from central in Gen.Elements(true, false)
        from pick in Gen.Choose(0, 7)
        from which in Gen.Elements(0, 4)
        from size in Gen.Elements(ByteMutations.InflatedLengths)
        select Inflate(zip, central, pick, which, (uint)size);

    private static byte[] Inflate(byte[] zip, bool central, int pick, int which, uint size)
    {
        var headers = (central ? CentralHeaders(zip).Select(h => h + 20) : LocalHeaders(zip).Select(h => h + 18)).ToArray();
        if (headers.Length == 0)
        {
            return zip;
        }

        var copy = (byte[])zip.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(headers[pick % headers.Length] + which), size);
        return copy;
    }

    private static IEnumerable<int> CentralHeaders(byte[] zip) => Signatures(zip, [0x50, 0x4B, 0x01, 0x02]);

    private static IEnumerable<int> LocalHeaders(byte[] zip) => Signatures(zip, [0x50, 0x4B, 0x03, 0x04]);

    private static IEnumerable<int> Signatures(byte[] zip, byte[] signature)
    {
        for (var at = 0; at + 46 <= zip.Length; at++)
        {
            if (zip.AsSpan(at, 4).SequenceEqual(signature))
            {
                yield return at;
            }
        }
    }

    private static byte[] Zip(IEnumerable<(string Name, byte[] Content)> entries, CompressionLevel level)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var stream = zip.CreateEntry(name, level).Open();
                stream.Write(content);
            }
        }

        return buffer.ToArray();
    }
}
