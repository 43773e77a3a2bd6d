using SpeechServe.Export.Adaptation;
using SpeechServe.Export.Merging;
using SpeechServe.Export.Tests.Onnx;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Tensors;
using SpeechServe.Tests.Support;

namespace SpeechServe.Export.Tests.Merging;

/// <summary>
/// The shipped model, a seeded random text attention model of its shapes, and the repository merged from them with
/// factor 1/3 in layers 1 and 4.
/// </summary>
public sealed class AttentionMergeFixture : ExportFixture
{
    /// <summary>The merge factor of <see cref="Merged"/>.</summary>
    public const double Factor = 1.0 / 3;

    /// <summary>The source repository.</summary>
    public static readonly string ShippedModel = Path.Combine(TrainingScripts.RepositoryRoot, "models", "speechfm-en-small");

    /// <summary>Writes the text model and merges it.</summary>
    public AttentionMergeFixture()
    {
        Source = ModelManifest.Parse(File.ReadAllBytes(Path.Combine(ShippedModel, "model.json")));
        SourceWeights = RepositoryBaseWeights.Read(ShippedModel, Source);
        var random = new Random(7);
        Text = new TensorMap(AttentionMerge.TensorNames(Enumerable.Range(0, Source.Architecture.NumLayers)).Select(name =>
        {
            var like = SourceWeights[name];
            var values = Enumerable.Range(0, (int)like.ElementCount).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            return NamedTensor.FromFloat32(name, like.Shape.AsSpan(), values);
        }));
        TextPath = Scratch.File("text_attention.safetensors");
        SafetensorsWriter.WriteFile(TextPath, Text);
        Merged = AttentionMergeExporter.Export(Request("merged", Factor) with { Layers = "4,1" });
    }

    /// <summary>The shipped model's manifest.</summary>
    public ModelManifest Source { get; }

    /// <summary>The shipped model's base weights.</summary>
    public TensorMap SourceWeights { get; }

    /// <summary>The text model's tensors.</summary>
    public TensorMap Text { get; }

    /// <summary>The text model's file.</summary>
    public string TextPath { get; }

    /// <summary>The repository merged with <see cref="Factor"/> in layers 1 and 4.</summary>
    public AttentionMergeResult Merged { get; }

    /// <summary>The directory of <see cref="Merged"/>.</summary>
    public string MergedDirectory => Path.Combine(Scratch.Path, "merged");

    /// <summary>A request to merge into the shipped model, written to <paramref name="name"/> under the fixture's directory.</summary>
    public AttentionMergeRequest Request(string name, double factor) => new()
    {
        ModelDirectory = ShippedModel,
        TextAttentionPath = TextPath,
        Factor = factor,
        OutputDirectory = Path.Combine(Scratch.Path, name),
        ModelId = "speechfm-mam-" + name,
    };
}
