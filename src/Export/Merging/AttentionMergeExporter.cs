using System.Globalization;
using SpeechServe.Export.Adaptation;
using SpeechServe.Export.Checkpoints;
using SpeechServe.Export.Repository;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Export.Merging;

/// <summary>A written merged model repository.</summary>
/// <param name="Source">The source repository's manifest.</param>
/// <param name="Manifest">The new repository's manifest.</param>
/// <param name="SourceAdapters">The adapters of the source repository, none of which was copied.</param>
public sealed record AttentionMergeResult(ModelManifest Source, ModelManifest Manifest, IReadOnlyList<string> SourceAdapters)
{
    /// <summary>Whether the merge changed the base weights, and with them <c>base_sha256</c>.</summary>
    public bool BaseChanged => Manifest.BaseSha256 != Source.BaseSha256;
}

/// <summary>
/// Writes a new model repository whose base is a repository's base with a text model's attention merged in
/// (<see cref="AttentionMerge"/>): the base weights are recovered from the repository (<see cref="RepositoryBaseWeights"/>),
/// merged, and exported by <see cref="ModelRepositoryExporter"/>, which gives the new repository its own
/// <c>base_sha256</c>. The vocabulary, the int8 encoder and the language model with its settings carry over; the
/// checkpoint's provenance records the source model, its <c>base_sha256</c>, the text model's SHA-256, the factor and
/// the layers. Adapters are not copied: each is bound to the base it was trained on by <c>base_sha256</c>, which the
/// server checks on every load, and a merged base needs adapters trained on it.
/// </summary>
public static class AttentionMergeExporter
{
    /// <summary>Runs the merge and the export.</summary>
    /// <exception cref="ExportException">An input was refused; nothing was written.</exception>
    public static AttentionMergeResult Export(AttentionMergeRequest request, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        progress ??= _ => { };
        if (Path.TrimEndingDirectorySeparator(Path.GetFullPath(request.OutputDirectory)) == Path.TrimEndingDirectorySeparator(Path.GetFullPath(request.ModelDirectory)))
        {
            throw new ExportException("--output must differ from --model: the source repository stays as it is.");
        }

        var source = AdapterExporter.ReadManifest(request.ModelDirectory);
        var layers = AttentionMerge.ParseLayers(request.Layers, source.Architecture.NumLayers);
        progress($"Recovering the base weights of {source.Id}");
        var baseWeights = RepositoryBaseWeights.Read(request.ModelDirectory, source);
        progress($"Reading {Path.GetFileName(request.TextAttentionPath)}");
        var text = CheckpointLoader.Read(request.TextAttentionPath, null).Tensors;
        progress($"Merging the attention of layers {string.Join(',', layers)} with factor {request.Factor.ToString(CultureInfo.InvariantCulture)}");
        var merged = AttentionMerge.Merge(baseWeights, text, request.Factor, layers);

        var scratch = Path.Combine(Path.GetTempPath(), "speechserve-merge-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(scratch);
        try
        {
            var checkpoint = Path.Combine(scratch, "merged.safetensors");
            SafetensorsWriter.WriteFile(checkpoint, merged, new Dictionary<string, string>
            {
                ["stage"] = "merge-attention",
                ["source_model"] = source.Id,
                ["source_base_sha256"] = source.BaseSha256,
                ["text_attention_sha256"] = Sha256.OfFile(request.TextAttentionPath),
                ["factor"] = request.Factor.ToString("R", CultureInfo.InvariantCulture),
                ["layers"] = string.Join(',', layers),
            });
            var manifest = ModelRepositoryExporter.Export(ExportRequest(request, source, checkpoint), progress);
            return new AttentionMergeResult(source, manifest, SourceAdapters(request.ModelDirectory));
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static ModelExportRequest ExportRequest(AttentionMergeRequest request, ModelManifest source, string checkpoint) => new()
    {
        CheckpointPath = checkpoint,
        Format = CheckpointFormat.Safetensors,
        Architecture = source.Architecture,
        TokensPath = Path.Combine(request.ModelDirectory, source.Vocabulary),
        OutputDirectory = request.OutputDirectory,
        ModelId = request.ModelId,
        QuantizeInt8 = source.EncoderInt8 is not null,
        LanguageModel = source.LanguageModel is { } lm
            ? new LanguageModelExport
            {
                Path = Path.Combine(request.ModelDirectory, lm.File),
                Weight = lm.Weight,
                WordBonus = lm.WordBonus,
                BeamWidth = lm.BeamWidth,
                UnknownWords = lm.UnknownWords,
            }
            : null,
        Replace = request.Replace,
    };

    private static List<string> SourceAdapters(string modelDirectory)
    {
        var adapters = Path.Combine(modelDirectory, RepositoryLayout.AdaptersDirectory);
        return Directory.Exists(adapters)
            ? [.. Directory.EnumerateDirectories(adapters).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)]
            : [];
    }
}
