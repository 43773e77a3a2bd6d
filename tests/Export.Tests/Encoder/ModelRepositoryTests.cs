using SpeechServe.Export.Repository;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Export.Tests.Encoder;

/// <summary>The files of an exported model repository and what model.json says about them.</summary>
[Collection(EncoderExportGroup.Name)]
public sealed class ModelRepositoryTests(EncoderExportFixture fixture)
{
    [Fact]
    public void Export_ModelJson_ListsEveryBaseModelFileWithItsSha256()
    {
        var manifest = ModelManifest.Parse(File.ReadAllBytes(Path.Combine(fixture.ModelDirectory, RepositoryLayout.Manifest)));
        var onDisk = Directory.EnumerateFiles(fixture.ModelDirectory, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(fixture.ModelDirectory, p).Replace('\\', '/'))
            .Where(p => p != RepositoryLayout.Manifest && !p.StartsWith(RepositoryLayout.AdaptersDirectory + "/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

        Assert.Equal(onDisk, manifest.Files.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, sha256) in manifest.Files)
        {
            Assert.Equal(Sha256.OfFile(Path.Combine(fixture.ModelDirectory, path)), sha256);
        }
    }

    [Fact]
    public void Export_ModelJson_RecordsArchitectureFilesAndProvenance()
    {
        var manifest = ModelManifest.Parse(File.ReadAllBytes(Path.Combine(fixture.ModelDirectory, RepositoryLayout.Manifest)));

        Assert.Equal(EncoderExportFixture.ModelId, manifest.Id);
        Assert.Equal(EncoderExportFixture.Architecture, manifest.Architecture);
        Assert.Equal((RepositoryLayout.Encoder, RepositoryLayout.EncoderInt8, RepositoryLayout.BaseHead, 17), (manifest.Encoder, manifest.EncoderInt8, manifest.BaseHead, manifest.Opset));
        Assert.Equal("random.bin", manifest.Provenance["checkpoint"]);
        Assert.Equal("torchsharp", manifest.Provenance["checkpoint_format"]);
        Assert.Equal(Sha256.OfFile(fixture.TorchSharpCheckpoint), manifest.Provenance["checkpoint_sha256"]);
        Assert.Equal("medical,callcenter", manifest.Provenance["adapters"]);
    }

    [Fact]
    public void Export_Tokens_AreTheReferenceVocabulary()
    {
        var lines = File.ReadAllLines(Path.Combine(fixture.ModelDirectory, RepositoryLayout.Tokens));

        Assert.Equal(29, lines.Length);
        Assert.Equal(["<blank>", "\u2581", "a"], lines[..3]);
        Assert.Equal("'", lines[^1]);
    }

    [Fact]
    public void Export_BaseHead_HoldsTheCheckpointsCtcHead()
    {
        var head = SafetensorsReader.ReadFile(Path.Combine(fixture.ModelDirectory, RepositoryLayout.BaseHead)).Tensors;
        var checkpoint = SafetensorsReader.ReadFile(fixture.SafetensorsCheckpoint).Tensors;

        Assert.Equal(["ctc.weight", "ctc.bias"], head.Names);
        Assert.Equal(checkpoint["ctc.weight"].Data.ToArray(), head["ctc.weight"].Data.ToArray());
        Assert.Equal(checkpoint["ctc.bias"].Data.ToArray(), head["ctc.bias"].Data.ToArray());
    }

    [Theory]
    [InlineData("medical")]
    [InlineData("callcenter")]
    public void Export_EachDomain_GetsAnAdapterPackageBoundToTheBaseModel(string domain)
    {
        var directory = Path.Combine(fixture.ModelDirectory, "adapters", domain, "1");
        var config = AdapterConfig.Parse(File.ReadAllBytes(Path.Combine(directory, AdapterConfig.FileName)));
        var weights = SafetensorsReader.ReadFile(Path.Combine(directory, AdapterConfig.WeightsFileName)).Tensors;
        var checkpoint = SafetensorsReader.ReadFile(fixture.SafetensorsCheckpoint).Tensors;

        Assert.Equal(
            (domain, EncoderExportFixture.ModelId, fixture.Manifest.BaseSha256, "asr", 16, 6, "en"),
            (config.Name, config.BaseModel, config.BaseSha256, config.Kind, config.BottleneckSize, config.Layers, config.Language));
        Assert.Empty(config.Metrics);
        var expected = checkpoint.Where(t => t.Name.StartsWith($"adapters.{domain}.", StringComparison.Ordinal)).ToList();
        Assert.Equal(26, weights.Count);
        Assert.Equal(expected.Select(t => t.Name), weights.Names);
        Assert.All(expected, t => Assert.Equal(t.Data.ToArray(), weights[t.Name].Data.ToArray()));
    }

    [Fact]
    public void Export_BothCheckpointFormats_GiveTheSameBaseHashAndEncoderWeights()
    {
        var output = Path.Combine(fixture.NewDirectory(), "from-safetensors");

        var manifest = ModelRepositoryExporter.Export(new ModelExportRequest
        {
            CheckpointPath = fixture.SafetensorsCheckpoint,
            Architecture = EncoderExportFixture.Architecture,
            OutputDirectory = output,
            ModelId = EncoderExportFixture.ModelId,
        });

        Assert.Equal(fixture.Manifest.BaseSha256, manifest.BaseSha256);
        Assert.Null(manifest.EncoderInt8);
        Assert.Equal(fixture.Manifest.Files[RepositoryLayout.BaseHead], manifest.Files[RepositoryLayout.BaseHead]);
        Assert.Equal(
            Sha256.OfFile(Path.Combine(fixture.ModelDirectory, "adapters/medical/1/adapter_model.safetensors")),
            Sha256.OfFile(Path.Combine(output, "adapters/medical/1/adapter_model.safetensors")));
    }

    [Fact]
    public void Export_OutputExists_IsRefusedUnlessReplacing()
    {
        var output = Path.Combine(fixture.NewDirectory(), "existing");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "keep.txt"), "x");
        var request = new ModelExportRequest
        {
            CheckpointPath = fixture.SafetensorsCheckpoint,
            Architecture = EncoderExportFixture.Architecture,
            OutputDirectory = output,
            ModelId = "m",
        };

        var error = Assert.Throws<ExportException>(() => ModelRepositoryExporter.Export(request));
        Assert.Contains("already exists", error.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "keep.txt")));

        ModelRepositoryExporter.Export(request with { Replace = true });
        Assert.False(File.Exists(Path.Combine(output, "keep.txt")));
        Assert.True(File.Exists(Path.Combine(output, RepositoryLayout.Manifest)));
        Assert.Single(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(output)!));
    }

    [Theory]
    [InlineData("a\nb\n", "2 tokens, but the architecture's vocab_size is 29")]
    [InlineData("a\n\nb\n", "line 2 is empty")]
    [InlineData("a\nb\na\n", "token 'a' appears on lines 1 and 3")]
    public void Export_BadTokensFile_IsRefused(string tokens, string expected)
    {
        var directory = fixture.NewDirectory();
        var path = Path.Combine(directory, "tokens.txt");
        File.WriteAllText(path, tokens);

        var error = Assert.Throws<ExportException>(() => ModelRepositoryExporter.Export(new ModelExportRequest
        {
            CheckpointPath = fixture.SafetensorsCheckpoint,
            Architecture = EncoderExportFixture.Architecture,
            TokensPath = path,
            OutputDirectory = Path.Combine(directory, "out"),
            ModelId = "m",
        }));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(directory, "out")));
    }
}
