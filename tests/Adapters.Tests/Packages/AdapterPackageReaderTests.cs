using System.Text;
using SpeechServe.Adapters.Packages;
using SpeechServe.Adapters.Tests.Support;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Tensors;
using SpeechServe.Tests.Support;

namespace SpeechServe.Adapters.Tests.Packages;

[Collection(AdapterPackageGroup.Name)]
public sealed class AdapterPackageReaderTests(AdapterPackageFixture fixture)
{
    private const string Translate = "translate-de";

    private static readonly AdapterPackageLimits SmallLimits = new() { MaxPackageBytes = 1024 };

    public static TheoryData<string, string> BadPackages => new()
    {
        { "not-a-zip", AdapterPackageRules.ZipFormat },
        { "miscounted-central-directory", AdapterPackageRules.ZipFormat },
        { "compressed-size-past-package", AdapterPackageRules.EntryCorrupt },
        { "too-large", AdapterPackageRules.PackageSize },
        { "too-many-entries", AdapterPackageRules.EntryCount },
        { "parent-path", AdapterPackageRules.EntryPath },
        { "absolute-path", AdapterPackageRules.EntryPath },
        { "backslash-path", AdapterPackageRules.EntryPath },
        { "symlink", AdapterPackageRules.EntryLink },
        { "extra-file", AdapterPackageRules.UnexpectedEntry },
        { "nested-file", AdapterPackageRules.UnexpectedEntry },
        { "duplicate-entry", AdapterPackageRules.DuplicateEntry },
        { "zip-bomb", AdapterPackageRules.CompressionRatio },
        { "uncompressed-total", AdapterPackageRules.UncompressedSize },
        { "missing-config", AdapterPackageRules.MissingConfig },
        { "missing-weights", AdapterPackageRules.MissingWeights },
        { "decoder-for-asr", AdapterPackageRules.Decoder },
        { "config-not-json", AdapterPackageRules.Config },
        { "config-future-version", AdapterPackageRules.Config },
        { "bad-name", AdapterPackageRules.Name },
        { "other-name", AdapterPackageRules.NameMismatch },
        { "bad-kind", AdapterPackageRules.Kind },
        { "other-base", AdapterPackageRules.BaseModel },
        { "other-bottleneck", AdapterPackageRules.BaseShape },
        { "truncated-weights", AdapterPackageRules.WeightsFormat },
        { "nan-weight", AdapterPackageRules.NonFinite },
        { "missing-tensor", AdapterPackageRules.TensorShape },
        { "wrong-shape", AdapterPackageRules.TensorShape },
        { "foreign-tensor", AdapterPackageRules.UnexpectedTensor },
        { "translation-without-decoder-cross", AdapterPackageRules.Decoder },
        { "translation-without-decoder", AdapterPackageRules.Decoder },
        { "translation-empty-decoder", AdapterPackageRules.Decoder },
        { "decoder-cross-for-asr", AdapterPackageRules.Decoder },
        { "translation-without-section", AdapterPackageRules.Translation },
        { "translation-section-for-asr", AdapterPackageRules.Translation },
        { "translation-vocabulary-without-specials", AdapterPackageRules.Translation },
        { "translation-vocabulary-repeated-token", AdapterPackageRules.Translation },
        { "translation-no-positions", AdapterPackageRules.Translation },
    };

    [Fact]
    public void ReadZip_ExportedPackage_IsAccepted()
    {
        var package = AdapterPackageReader.ReadZip(fixture.Medical, fixture.Manifest, "medical");

        Assert.Equal("medical", package.Package.Config.Name);
        Assert.Equal([AdapterConfig.FileName, AdapterConfig.WeightsFileName], package.Files.Keys.Order(StringComparer.Ordinal));
        Assert.True(package.Package.Weights.ByteSize > 0);
    }

    [Fact]
    public void ReadZip_ExportedTranslationPackage_IsAcceptedWithItsDecoder()
    {
        var entries = PackageZip.Entries(fixture.Translation).ToDictionary(e => e.Name, e => e.Content);

        var package = AdapterPackageReader.ReadZip(fixture.Translation, fixture.Manifest, Translate);

        var (config, head) = (package.Package.Config, package.Package.Weights.Translation);
        Assert.Equal(("translation", "de"), (config.Kind, config.Language));
        Assert.NotNull(head);
        Assert.Equal(AdapterPackageFiles.All.Order(StringComparer.Ordinal), package.Files.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(entries[AdapterPackageFiles.Decoder], head.StepGraph.ToArray());
        Assert.Equal(entries[AdapterPackageFiles.DecoderCross], head.CrossGraph.ToArray());
        Assert.Equal((40, 64, "en"), (head.Vocabulary.Count, head.MaxPositions, head.TargetLanguage));
        Assert.Equal(["<pad>", "<s>", "</s>", "<unk>", "word00"], head.Vocabulary.Tokens.Take(5));
        Assert.Null(AdapterPackageReader.ReadZip(fixture.Medical, fixture.Manifest, "medical").Package.Weights.Translation);
    }

    [Theory]
    [MemberData(nameof(BadPackages))]
    public void ReadZip_BadPackage_IsRefusedNamingTheRule(string scenario, string rule)
    {
        var (zip, limits, name) = Build(scenario);

        var error = Assert.Throws<AdapterPackageException>(() => AdapterPackageReader.ReadZip(zip, fixture.Manifest, name, limits));

        Assert.Equal(rule, error.Rule);
        Assert.Contains(rule, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadZip_HeaderClaimingMoreCompressedBytesThanThePackage_RefusedBeforeAllocating()
    {
        var config = PackageZip.Entries(fixture.Medical).Single(e => e.Name == AdapterConfig.FileName).Content;
        var zip = PackageZip.WithClaimedSizes(Zip((AdapterConfig.FileName, config)), 2_600_000, 250_000_000);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<AdapterPackageException>(() => AdapterPackageReader.ReadZip(zip, fixture.Manifest, "medical"));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(AdapterPackageRules.EntryCorrupt, error.Rule);
        Assert.InRange(allocated, 0, 1024 * 1024);
    }

    private (byte[] Zip, AdapterPackageLimits? Limits, string Name) Build(string scenario)
    {
        var entries = PackageZip.Entries(fixture.Medical);
        var config = entries.Single(e => e.Name == AdapterConfig.FileName).Content;
        var weights = entries.Single(e => e.Name == AdapterConfig.WeightsFileName).Content;
        var parsed = AdapterConfig.Parse(config);
        var translation = PackageZip.Entries(fixture.Translation).ToDictionary(e => e.Name, e => e.Content);
        var (translationConfig, translationWeights) = (AdapterConfig.Parse(translation[AdapterConfig.FileName]), translation[AdapterConfig.WeightsFileName]);
        var (step, cross) = (translation[AdapterPackageFiles.Decoder], translation[AdapterPackageFiles.DecoderCross]);
        var section = translationConfig.Translation!;
        return scenario switch
        {
            "not-a-zip" => (Encoding.UTF8.GetBytes("this is not a zip"), null, "medical"),
            "too-large" => (fixture.Medical, SmallLimits, "medical"),
            // Found by AdapterPackagePropertyTests: escaped as InvalidDataException (a 500 from the admin API).
            "miscounted-central-directory" => (PackageZip.WithMiscountedCentralDirectory(fixture.Medical), null, "medical"),
            // Found by AdapterPackagePropertyTests: the buffer of the claimed 250 MB was allocated before reading.
            "compressed-size-past-package" => (PackageZip.WithClaimedSizes(Zip((AdapterConfig.FileName, config)), 2_600_000, 250_000_000), null, "medical"),
            "too-many-entries" => (PackageZip.Create(Enumerable.Range(0, 9).Select(i => ($"f{i}", new byte[1]))), null, "medical"),
            "parent-path" => (Zip(("../adapter_config.json", config), (AdapterConfig.WeightsFileName, weights)), null, "medical"),
            "absolute-path" => (Zip(("/etc/adapter_config.json", config), (AdapterConfig.WeightsFileName, weights)), null, "medical"),
            "backslash-path" => (Zip(("..\\adapter_config.json", config), (AdapterConfig.WeightsFileName, weights)), null, "medical"),
            "symlink" => (PackageZip.Create([(AdapterConfig.FileName, config), (AdapterConfig.WeightsFileName, weights)], e => e.ExternalAttributes = 0xA1FF << 16), null, "medical"),
            "extra-file" => (Zip((AdapterConfig.FileName, config), (AdapterConfig.WeightsFileName, weights), ("notes.txt", [1])), null, "medical"),
            "nested-file" => (Zip(("medical/adapter_config.json", config), (AdapterConfig.WeightsFileName, weights)), null, "medical"),
            "duplicate-entry" => (Zip((AdapterConfig.FileName, config), (AdapterConfig.FileName, config), (AdapterConfig.WeightsFileName, weights)), null, "medical"),
            "zip-bomb" => (Zip((AdapterConfig.FileName, config), (AdapterConfig.WeightsFileName, new byte[8 * 1024 * 1024])), null, "medical"),
            "uncompressed-total" => (fixture.Medical, new AdapterPackageLimits { MaxUncompressedBytes = weights.Length }, "medical"),
            "missing-config" => (Zip((AdapterConfig.WeightsFileName, weights)), null, "medical"),
            "missing-weights" => (Zip((AdapterConfig.FileName, config)), null, "medical"),
            "decoder-for-asr" => (Zip((AdapterConfig.FileName, config), (AdapterConfig.WeightsFileName, weights), (AdapterPackageFiles.Decoder, [1, 2, 3])), null, "medical"),
            "config-not-json" => (Zip((AdapterConfig.FileName, "{ not json"u8.ToArray()), (AdapterConfig.WeightsFileName, weights)), null, "medical"),
            "config-future-version" => (WithConfig(parsed with { FormatVersion = 99 }, weights), null, "medical"),
            "bad-name" => (WithConfig(parsed with { Name = "Medical!" }, weights), null, "Medical!"),
            "other-name" => (fixture.Medical, null, "callcenter"),
            "bad-kind" => (WithConfig(parsed with { Kind = "tts" }, weights), null, "medical"),
            "other-base" => (WithConfig(parsed with { BaseSha256 = new string('b', 64) }, weights), null, "medical"),
            "other-bottleneck" => (WithConfig(parsed with { BottleneckSize = 8 }, weights), null, "medical"),
            "truncated-weights" => (Zip((AdapterConfig.FileName, config), (AdapterConfig.WeightsFileName, weights[..(weights.Length / 2)])), null, "medical"),
            "nan-weight" => (WithTensors(config, weights, tensors => Replace(tensors, "adapters.medical.layers.0.up.bias", t => Poison(t))), null, "medical"),
            "missing-tensor" => (WithTensors(config, weights, tensors => tensors.Where(t => t.Name != "adapters.medical.ctc.bias")), null, "medical"),
            "wrong-shape" => (WithTensors(config, weights, tensors => Replace(tensors, "adapters.medical.ctc.bias", t => NamedTensor.FromFloat32(t.Name, [3], [1, 2, 3]))), null, "medical"),
            "foreign-tensor" => (WithTensors(config, weights, tensors => tensors.Append(NamedTensor.FromFloat32("encoder.layers.0.bias", [1], [0]))), null, "medical"),
            "translation-without-decoder-cross" => (Zip((AdapterConfig.FileName, translation[AdapterConfig.FileName]), (AdapterConfig.WeightsFileName, translationWeights), (AdapterPackageFiles.Decoder, step)), null, Translate),
            "translation-without-decoder" => (Zip((AdapterConfig.FileName, translation[AdapterConfig.FileName]), (AdapterConfig.WeightsFileName, translationWeights), (AdapterPackageFiles.DecoderCross, cross)), null, Translate),
            "translation-empty-decoder" => (WithTranslation(translationConfig, translationWeights, [], cross), null, Translate),
            "decoder-cross-for-asr" => (Zip((AdapterConfig.FileName, config), (AdapterConfig.WeightsFileName, weights), (AdapterPackageFiles.DecoderCross, cross)), null, "medical"),
            "translation-without-section" => (WithTranslation(translationConfig with { Translation = null }, translationWeights, step, cross), null, Translate),
            "translation-section-for-asr" => (WithConfig(parsed with { Translation = section }, weights), null, "medical"),
            "translation-vocabulary-without-specials" => (WithTranslation(translationConfig with { Translation = section with { Vocabulary = ["hello", "world"] } }, translationWeights, step, cross), null, Translate),
            "translation-vocabulary-repeated-token" => (WithTranslation(translationConfig with { Translation = section with { Vocabulary = [.. section.Vocabulary, section.Vocabulary[^1]] } }, translationWeights, step, cross), null, Translate),
            "translation-no-positions" => (WithTranslation(translationConfig with { Translation = section with { MaxPositions = 0 } }, translationWeights, step, cross), null, Translate),
            _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, null),
        };
    }

    private static byte[] Zip(params (string Name, byte[] Content)[] entries) => PackageZip.Create(entries);

    private static byte[] WithTranslation(AdapterConfig config, byte[] weights, byte[] step, byte[] cross) =>
        Zip((AdapterConfig.FileName, config.ToJsonBytes()), (AdapterConfig.WeightsFileName, weights), (AdapterPackageFiles.Decoder, step), (AdapterPackageFiles.DecoderCross, cross));

    private static byte[] WithConfig(AdapterConfig config, byte[] weights) => Zip((AdapterConfig.FileName, config.ToJsonBytes()), (AdapterConfig.WeightsFileName, weights));

    private static byte[] WithTensors(byte[] config, byte[] weights, Func<IEnumerable<NamedTensor>, IEnumerable<NamedTensor>> change)
    {
        var tensors = SafetensorsReader.Read(weights).Tensors;
        return Zip((AdapterConfig.FileName, config), (AdapterConfig.WeightsFileName, SafetensorsWriter.WriteToArray(change(tensors).ToList())));
    }

    private static IEnumerable<NamedTensor> Replace(IEnumerable<NamedTensor> tensors, string name, Func<NamedTensor, NamedTensor> replace) =>
        tensors.Select(t => t.Name == name ? replace(t) : t);

    private static NamedTensor Poison(NamedTensor tensor)
    {
        var values = tensor.ToFloat32();
        values[^1] = float.NaN;
        return NamedTensor.FromFloat32(tensor.Name, tensor.Shape.AsSpan(), values);
    }
}
