using SpeechServe.Export.Repository;
using SpeechServe.Runtime.Models;
using SpeechServe.Tests.Support;

namespace SpeechServe.Adapters.Tests.Support;

/// <summary>
/// An adapter-only random checkpoint from training/make_random_checkpoint.py, exported with the
/// exporter's <see cref="AdapterExporter"/> as the packages <c>medical</c> and <c>callcenter</c> for a base
/// model whose model.json this fixture writes (no encoder needed to check adapters).
/// </summary>
public sealed class AdapterPackageFixture : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "speechserve-adapters-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>Generates the checkpoint and exports the packages.</summary>
    public AdapterPackageFixture()
    {
        Directory.CreateDirectory(_root);
        var checkpoint = Path.Combine(_root, "medical.safetensors");
        TrainingScripts.Run("make_random_checkpoint.py", "--adapter-only", "medical", "--output", checkpoint);
        var modelDirectory = Path.Combine(_root, "model");
        Directory.CreateDirectory(modelDirectory);
        Manifest = new ModelManifest
        {
            Id = "speechfm-test",
            Architecture = EncoderArchitecture.Load(Path.Combine(TrainingScripts.RepositoryRoot, "training", "configs", "reference.json")),
            BaseSha256 = new string('a', 64),
            Files = new Dictionary<string, string>(),
        };
        File.WriteAllBytes(Path.Combine(modelDirectory, "model.json"), Manifest.ToJsonBytes());
        Medical = Export(checkpoint, modelDirectory, "medical");
        CallCenter = Export(checkpoint, modelDirectory, "callcenter");
    }

    /// <summary>The base model the packages are for.</summary>
    public ModelManifest Manifest { get; }

    /// <summary>The package of adapter <c>medical</c>.</summary>
    public byte[] Medical { get; }

    /// <summary>The same weights packaged as adapter <c>callcenter</c>.</summary>
    public byte[] CallCenter { get; }

    /// <summary>A fresh empty directory.</summary>
    public string NewDirectory()
    {
        var path = Path.Combine(_root, "t-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(_root, recursive: true);

    private byte[] Export(string checkpoint, string modelDirectory, string name)
    {
        var output = Path.Combine(_root, name + ".zip");
        AdapterExporter.Export(new AdapterExportRequest { CheckpointPath = checkpoint, ModelDirectory = modelDirectory, OutputPath = output, Name = name });
        return File.ReadAllBytes(output);
    }
}

/// <summary>Shares one <see cref="AdapterPackageFixture"/> across the test classes.</summary>
[CollectionDefinition(Name)]
public sealed class AdapterPackageGroup : ICollectionFixture<AdapterPackageFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "adapter packages";
}
