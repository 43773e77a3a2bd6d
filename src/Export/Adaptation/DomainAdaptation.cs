using SpeechServe.Export.Checkpoints;
using SpeechServe.Export.Repository;
using SpeechServe.Runtime.Decoding;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Export.Adaptation;

/// <summary>What <see cref="DomainAdaptation.RunAsync"/> trains, and where the package goes.</summary>
public sealed record AdaptationRequest
{
    /// <summary>The dataset: audio files and <c>metadata.csv</c> or <c>metadata.jsonl</c>.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The model repository to adapt (<c>models/&lt;id&gt;</c>).</summary>
    public required string ModelDirectory { get; init; }

    /// <summary>The adapter's name.</summary>
    public required string Name { get; init; }

    /// <summary>The package zip to write.</summary>
    public required string OutputPath { get; init; }

    /// <summary>Whether an existing <see cref="OutputPath"/> may be replaced.</summary>
    public bool Replace { get; init; }

    /// <summary>Checks and training settings.</summary>
    public AdaptationSettings Settings { get; init; } = new();
}

/// <summary>A dataset whose every row was checked, with the server's features of each utterance.</summary>
/// <param name="Manifest">The model the dataset was checked against.</param>
/// <param name="Utterances">The usable utterances, in metadata order.</param>
public sealed record ValidatedDataset(ModelManifest Manifest, IReadOnlyList<AdaptationUtterance> Utterances);

/// <summary>A finished adaptation.</summary>
/// <param name="Config">The package's config, with the dev WER figures in its metrics.</param>
/// <param name="Outcome">What training reported.</param>
public sealed record AdaptationResult(AdapterConfig Config, TrainingOutcome Outcome);

/// <summary>
/// A dataset and a model repository in, an adapter package out: checks every row, computes the server's features,
/// recovers the base weights from the repository, trains the adapter in PyTorch (<see cref="AdapterTrainingProcess"/>)
/// and packs the best epoch with the base and adapter dev WER in the package's <c>metrics</c>.
/// </summary>
public static class DomainAdaptation
{
    /// <summary>Runs the adaptation; <paramref name="progress"/> receives every change of state.</summary>
    /// <exception cref="DatasetException">The dataset was refused.</exception>
    /// <exception cref="ExportException">Another input was refused, or training failed.</exception>
    public static async Task<AdaptationResult> RunAsync(AdaptationRequest request, Action<TrainingProgress> progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckRequest(request, AdapterExporter.ReadManifest(request.ModelDirectory));
        var dataset = await ValidateAsync(request.DataDirectory, request.ModelDirectory, request.Settings, progress, cancellationToken).ConfigureAwait(false);
        return await TrainAsync(dataset, request, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks every row of the dataset in <paramref name="dataDirectory"/> against the model in <paramref name="modelDirectory"/>.</summary>
    /// <exception cref="DatasetException">The dataset was refused; the exception lists every bad row.</exception>
    public static async Task<ValidatedDataset> ValidateAsync(
        string dataDirectory, string modelDirectory, AdaptationSettings settings, Action<TrainingProgress> progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(progress);
        var manifest = AdapterExporter.ReadManifest(modelDirectory);
        var vocabulary = TokenVocabulary.Load(Path.Combine(modelDirectory, manifest.Vocabulary));
        var utterances = await new DatasetValidator(vocabulary, settings).ValidateAsync(
            dataDirectory,
            (done, rows) => progress(new TrainingProgress { Stage = "validating", RowsChecked = done, Rows = rows, TimeLeft = settings.TimeBudget }),
            cancellationToken).ConfigureAwait(false);
        return new ValidatedDataset(manifest, utterances);
    }

    /// <summary>Trains on a checked dataset and writes the package (<see cref="AdaptationRequest.DataDirectory"/> is not read again).</summary>
    /// <exception cref="ExportException">An input was refused, or training failed.</exception>
    public static async Task<AdaptationResult> TrainAsync(
        ValidatedDataset dataset, AdaptationRequest request, Action<TrainingProgress> progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(progress);
        var manifest = dataset.Manifest;
        var settings = request.Settings;
        CheckRequest(request, manifest);
        progress(new TrainingProgress { Stage = "preparing", TimeLeft = settings.TimeBudget });
        var baseWeights = RepositoryBaseWeights.Read(request.ModelDirectory, manifest);
        var directory = Path.Combine(Path.GetTempPath(), "speechserve-adapt-" + Guid.NewGuid().ToString("N"));
        try
        {
            var workspace = TrainingWorkspace.Write(directory, baseWeights, manifest.Architecture, dataset.Utterances, settings.DevFraction);
            var outcome = await AdapterTrainingProcess.RunAsync(workspace, request.Name, settings, progress, cancellationToken).ConfigureAwait(false);
            progress(new TrainingProgress { Stage = "packaging", Step = outcome.Steps, Epoch = outcome.Epochs, BaseDevWer = outcome.BaseDevWer, BestDevWer = outcome.DevWer });
            var package = Package(workspace, request.Name, manifest, outcome, settings);
            AdapterExporter.WriteZip(Path.GetFullPath(request.OutputPath), package);
            return new AdaptationResult(package.Config, outcome);
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static void CheckRequest(AdaptationRequest request, ModelManifest manifest)
    {
        CheckpointLoader.RequireAdapterName(request.Name);
        if (!request.Replace && File.Exists(request.OutputPath))
        {
            throw new ExportException($"{request.OutputPath} already exists; choose another --output or pass --force to replace it.");
        }

        if (request.Settings.Bottleneck is { } bottleneck && (bottleneck < 1 || bottleneck > manifest.Architecture.AdapterDim))
        {
            throw new ExportException($"the bottleneck must be between 1 and model {manifest.Id}'s {manifest.Architecture.AdapterDim}.");
        }
    }

    private static AdapterPackage Package(TrainingWorkspace workspace, string name, ModelManifest manifest, TrainingOutcome outcome, AdaptationSettings settings)
    {
        var tensors = new TensorMap(SafetensorsReader.ReadFile(workspace.AdapterPath).Tensors);
        CheckpointLoader.Validate(tensors, ReferenceCheckpointSchema.ForAdapter(manifest.Architecture, name));
        var package = AdapterPackage.Create(tensors, name, name, manifest.Architecture, manifest.Id, manifest.BaseSha256);
        var metrics = new Dictionary<string, double>
        {
            ["base_dev_wer"] = outcome.BaseDevWer,
            ["dev_wer"] = outcome.DevWer,
            ["train_seconds"] = Math.Round(outcome.TrainSeconds, 1),
            ["steps"] = outcome.Steps,
            ["epochs"] = outcome.Epochs,
            ["train_utterances"] = workspace.TrainCount,
            ["dev_utterances"] = workspace.DevCount,
            ["train_audio_seconds"] = Math.Round(workspace.TrainAudio.TotalSeconds, 1),
            ["dev_audio_seconds"] = Math.Round(workspace.DevAudio.TotalSeconds, 1),
            ["bottleneck_trained"] = settings.Bottleneck ?? manifest.Architecture.AdapterDim,
        };
        return package with { Config = package.Config with { Metrics = metrics } };
    }
}
