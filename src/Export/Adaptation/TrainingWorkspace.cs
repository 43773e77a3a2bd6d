using System.Text.Json;
using SpeechServe.Runtime.Features;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Export.Adaptation;

/// <summary>
/// The directory the training process reads (training/adapt.py's docstring has the layout): base weights,
/// features and transcripts of the train and dev splits, the architecture. The dev split is every n-th
/// utterance, so it spreads over the whole dataset.
/// </summary>
public sealed class TrainingWorkspace
{
    private TrainingWorkspace(string directory, int trainCount, int devCount, TimeSpan trainAudio, TimeSpan devAudio)
    {
        Directory = directory;
        TrainCount = trainCount;
        DevCount = devCount;
        TrainAudio = trainAudio;
        DevAudio = devAudio;
    }

    /// <summary>The workspace directory.</summary>
    public string Directory { get; }

    /// <summary>Training utterances.</summary>
    public int TrainCount { get; }

    /// <summary>Dev utterances.</summary>
    public int DevCount { get; }

    /// <summary>Training audio.</summary>
    public TimeSpan TrainAudio { get; }

    /// <summary>Dev audio.</summary>
    public TimeSpan DevAudio { get; }

    /// <summary>Where training writes the adapter checkpoint.</summary>
    public string AdapterPath => Path.Combine(Directory, "adapter.safetensors");

    /// <summary>Splits <paramref name="utterances"/> and writes the workspace into <paramref name="directory"/>.</summary>
    public static TrainingWorkspace Write(string directory, TensorMap baseWeights, EncoderArchitecture architecture, IReadOnlyList<AdaptationUtterance> utterances, double devFraction)
    {
        ArgumentNullException.ThrowIfNull(utterances);
        var every = Math.Max(2, (int)Math.Round(1 / Math.Clamp(devFraction, 0.01, 0.5)));
        var dev = utterances.Where((_, i) => i % every == every - 1).ToList();
        if (dev.Count == 0)
        {
            dev = [utterances[^1]];
        }

        var train = utterances.Except(dev).ToList();
        System.IO.Directory.CreateDirectory(directory);
        SafetensorsWriter.WriteFile(Path.Combine(directory, "base.safetensors"), baseWeights);
        SafetensorsWriter.WriteFile(Path.Combine(directory, "utterances.safetensors"), [.. Split("train", train), .. Split("dev", dev)]);
        File.WriteAllBytes(Path.Combine(directory, "transcripts.json"), JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, IEnumerable<string>>
        {
            ["train"] = train.Select(u => u.Text),
            ["dev"] = dev.Select(u => u.Text),
        }));
        File.WriteAllBytes(Path.Combine(directory, "architecture.json"), JsonSerializer.SerializeToUtf8Bytes(architecture, ModelManifest.JsonOptions));
        return new TrainingWorkspace(directory, train.Count, dev.Count, Total(train), Total(dev));
    }

    private static TimeSpan Total(IEnumerable<AdaptationUtterance> utterances) => TimeSpan.FromSeconds(utterances.Sum(u => u.Frames) / 100.0);

    private static IEnumerable<NamedTensor> Split(string split, List<AdaptationUtterance> utterances)
    {
        var frames = utterances.Sum(u => u.Frames);
        var features = new float[frames * LogMelSpec.MelBins];
        var offset = 0;
        foreach (var utterance in utterances)
        {
            utterance.Features.CopyTo(features, offset);
            offset += utterance.Features.Length;
        }

        yield return NamedTensor.FromFloat32($"{split}.features", [frames, LogMelSpec.MelBins], features);
        yield return NamedTensor.FromValues<long>($"{split}.lengths", TensorDType.Int64, [utterances.Count], [.. utterances.Select(u => (long)u.Frames)]);
    }
}
