using SpeechServe.Export.Repository;
using SpeechServe.Runtime.Models;
using SpeechServe.Tests.Support;

namespace SpeechServe.Serving.Tests.Support;

/// <summary>
/// A models directory holding one repository exported from the training scripts' random checkpoint: the base
/// model <see cref="ModelId"/> with the adapters <c>callcenter</c> and <c>medical</c> (version 1 each). The
/// weights are random, so tests assert the structure of results, never their words.
/// </summary>
internal sealed class RandomModelRepository : IDisposable
{
    public const string ModelId = "speechfm-test";

    private readonly ScratchDirectory _directory = new("speechserve-serving");

    private RandomModelRepository(string? languageModelPath)
    {
        CheckpointPath = _directory.File("random.safetensors");
        TrainingScripts.Run("make_random_checkpoint.py", "--output", CheckpointPath);
        ModelsPath = Path.Combine(_directory.Path, "models");
        ModelRepositoryExporter.Export(new ModelExportRequest
        {
            CheckpointPath = CheckpointPath,
            Architecture = EncoderArchitecture.Load(Path.Combine(TrainingScripts.RepositoryRoot, "training", "configs", "reference.json")),
            OutputDirectory = Path.Combine(ModelsPath, ModelId),
            ModelId = ModelId,
            LanguageModel = languageModelPath is null ? null : new LanguageModelExport { Path = languageModelPath },
        });
    }

    /// <summary>The adapters of the random checkpoint, as <c>GET /v1/models</c> lists them.</summary>
    public static IReadOnlyList<string> AdapterNames { get; } = ["callcenter", "medical"];

    /// <summary>The random checkpoint the repository was exported from (safetensors).</summary>
    public string CheckpointPath { get; }

    /// <summary>The base model's repository directory.</summary>
    public string ModelDirectory => Path.Combine(ModelsPath, ModelId);

    /// <summary>The directory to pass as <c>Serving:ModelsPath</c>.</summary>
    public string ModelsPath { get; }

    /// <summary>A directory for the tests' own files, removed with the repository.</summary>
    public string ScratchPath => _directory.Path;

    /// <summary>Writes the checkpoint and exports it; takes a few seconds.</summary>
    /// <param name="languageModelPath">An ARPA file to ship as the repository's language model, or null for none.</param>
    public static RandomModelRepository Create(string? languageModelPath = null) => new(languageModelPath);

    /// <inheritdoc/>
    public void Dispose() => _directory.Dispose();
}
