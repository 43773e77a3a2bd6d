using SpeechServe.Export.Repository;
using SpeechServe.Runtime.Models;
using SpeechServe.Tests.Support;

namespace SpeechServe.Adapters.Tests.Support;

/// <summary>
/// An adapter-only random checkpoint from training/make_random_checkpoint.py, exported with the
/// exporter's <see cref="AdapterExporter"/> as the packages <c>medical</c> and <c>callcenter</c>, and with the
/// random decoder of training/dump_decoder_golden.py as the translation package <c>translate-de</c>, for a
/// base model whose model.json this fixture writes (no encoder needed to check adapters).
/// </summary>
public sealed class AdapterPackageFixture : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "speechserve-adapters-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>Generates the checkpoint and exports the packages.</summary>
    public AdapterPackageFixture()
    {
        Directory.CreateDirectory(_root);
        var checkpoint = AdapterCheckpoint = Path.Combine(_root, "medical.safetensors");
        TrainingScripts.Run("make_random_checkpoint.py", "--adapter-only", "medical", "--output", checkpoint);
        DecoderCheckpoint = Path.Combine(_root, "decoder.safetensors");
        TrainingScripts.Run("dump_decoder_golden.py", "--make-random", "--decoder", DecoderCheckpoint, "--output", Path.Combine(_root, "decoder_golden.safetensors"));
        var modelDirectory = ModelDirectory = Path.Combine(_root, "model");
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
        Translation = Export(checkpoint, modelDirectory, "translate-de", DecoderCheckpoint);
    }

    /// <summary>The adapter-only checkpoint (domain <c>medical</c>).</summary>
    public string AdapterCheckpoint { get; }

    /// <summary>The random translation decoder (domain <c>translate-de</c>, 40 tokens).</summary>
    public string DecoderCheckpoint { get; }

    /// <summary>The base model's repository directory (only its model.json).</summary>
    public string ModelDirectory { get; }

    /// <summary>The base model the packages are for.</summary>
    public ModelManifest Manifest { get; }

    /// <summary>The package of adapter <c>medical</c>.</summary>
    public byte[] Medical { get; }

    /// <summary>The same weights packaged as adapter <c>callcenter</c>.</summary>
    public byte[] CallCenter { get; }

    /// <summary>The adapter packed with the decoder as translation adapter <c>translate-de</c>.</summary>
    public byte[] Translation { get; }

    /// <summary>A fresh empty directory.</summary>
    public string NewDirectory()
    {
        var path = Path.Combine(_root, "t-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(_root, recursive: true);

    private byte[] Export(string checkpoint, string modelDirectory, string name, string? decoder = null)
    {
        var output = Path.Combine(_root, name + ".zip");
        AdapterExporter.Export(new AdapterExportRequest { CheckpointPath = checkpoint, ModelDirectory = modelDirectory, OutputPath = output, Name = name, DecoderPath = decoder });
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
