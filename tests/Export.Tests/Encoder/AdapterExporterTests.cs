using System.IO.Compression;
using SpeechServe.Export.Repository;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Tensors;
using SpeechServe.Tests.Support;

namespace SpeechServe.Export.Tests.Encoder;

/// <summary><c>export-adapter</c>: one domain as a zip package bound to the base model's hash.</summary>
[Collection(EncoderExportGroup.Name)]
public sealed class AdapterExporterTests(EncoderExportFixture fixture)
{
    [Fact]
    public void Export_AdapterOnlyCheckpoint_WritesZipMatchingTheRepositoryPackage()
    {
        var output = Path.Combine(fixture.NewDirectory(), "medical.zip");

        var config = AdapterExporter.Export(Request(fixture.MedicalCheckpoint, output));

        using var zip = ZipFile.OpenRead(output);
        Assert.Equal([AdapterConfig.FileName, AdapterConfig.WeightsFileName], zip.Entries.Select(e => e.FullName));
        var written = AdapterConfig.Parse(ReadEntry(zip, AdapterConfig.FileName));
        Assert.Equal(config, written with { Metrics = config.Metrics });
        Assert.Equal(("medical", fixture.Manifest.Id, fixture.Manifest.BaseSha256), (written.Name, written.BaseModel, written.BaseSha256));
        var repositoryWeights = File.ReadAllBytes(Path.Combine(fixture.ModelDirectory, "adapters", "medical", "1", AdapterConfig.WeightsFileName));
        Assert.Equal(repositoryWeights, ReadEntry(zip, AdapterConfig.WeightsFileName));
    }

    [Fact]
    public void Export_WithName_RenamesTheAdapterAndItsTensors()
    {
        var output = Path.Combine(fixture.NewDirectory(), "cardiology.zip");

        AdapterExporter.Export(Request(fixture.MedicalCheckpoint, output) with { Name = "cardiology" });

        using var zip = ZipFile.OpenRead(output);
        var tensors = SafetensorsReader.Read(ReadEntry(zip, AdapterConfig.WeightsFileName)).Tensors;
        Assert.Equal("cardiology", AdapterConfig.Parse(ReadEntry(zip, AdapterConfig.FileName)).Name);
        Assert.All(tensors.Names, n => Assert.StartsWith("adapters.cardiology.", n, StringComparison.Ordinal));
    }

    [Fact]
    public void Export_FullCheckpointOfTheSameBase_SelectsTheNamedDomain()
    {
        var output = Path.Combine(fixture.NewDirectory(), "callcenter.zip");

        var config = AdapterExporter.Export(Request(fixture.TorchSharpCheckpoint, output) with { Name = "callcenter" });

        Assert.Equal("callcenter", config.Name);
        Assert.True(File.Exists(output));
    }

    [Fact]
    public void Export_FullCheckpointWithSeveralDomainsAndNoName_IsRefused()
    {
        var output = Path.Combine(fixture.NewDirectory(), "x.zip");

        var error = Assert.Throws<ExportException>(() => AdapterExporter.Export(Request(fixture.SafetensorsCheckpoint, output)));

        Assert.Contains("holds adapters medical, callcenter; choose one with --name", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Export_FullCheckpointOfAnotherBase_IsRefusedNamingBothHashes()
    {
        var directory = fixture.NewDirectory();
        var other = Path.Combine(directory, "seed1.safetensors");
        TrainingScripts.Run("make_random_checkpoint.py", "--seed", "1", "--domains", "medical", "--output", other);
        var output = Path.Combine(directory, "x.zip");

        var error = Assert.Throws<ExportException>(() => AdapterExporter.Export(Request(other, output)));

        Assert.Contains($"are not those of model {fixture.Manifest.Id} (base_sha256 {fixture.Manifest.BaseSha256})", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(directory, "*.zip*"));
    }

    [Fact]
    public void Export_AdapterWithWrongShape_IsRefusedNamingTheTensor()
    {
        var directory = fixture.NewDirectory();
        var tensors = SafetensorsReader.ReadFile(fixture.MedicalCheckpoint).Tensors
            .Select(t => t.Name == "adapters.medical.layers.2.down.weight"
                ? NamedTensor.FromFloat32(t.Name, [8, 192], t.AsSpan<float>()[..(8 * 192)])
                : t);
        var checkpoint = Path.Combine(directory, "bad.safetensors");
        SafetensorsWriter.WriteFile(checkpoint, tensors);

        var error = Assert.Throws<ExportException>(() => AdapterExporter.Export(Request(checkpoint, Path.Combine(directory, "x.zip"))));

        Assert.Contains("tensor 'adapters.medical.layers.2.down.weight': expected shape [16,192], found [8,192]", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(directory, "*.zip*"));
    }

    private AdapterExportRequest Request(string checkpoint, string output) =>
        new() { CheckpointPath = checkpoint, ModelDirectory = fixture.ModelDirectory, OutputPath = output };

    private static byte[] ReadEntry(ZipArchive zip, string name)
    {
        using var stream = zip.GetEntry(name)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
