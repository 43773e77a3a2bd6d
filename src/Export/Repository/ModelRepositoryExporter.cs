using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using SpeechServe.Export.Encoder;
using SpeechServe.Export.Onnx;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Export.Repository;

/// <summary>
/// Converts a trained checkpoint into a model repository: <c>encoder.onnx</c> (and optionally
/// <c>encoder.int8.onnx</c>; with <see cref="ModelExportRequest.SparseInitializers"/>, mostly-zero weights stored sparse), <c>tokens.txt</c>, the base CTC head, one adapter package per domain in the
/// checkpoint under <c>adapters/{name}/1/</c>, and <c>model.json</c> with the SHA-256 of every file of the
/// base model and the provenance; with a language model, <c>lm.arpa</c> and the manifest's <c>language_model</c> section. Adapters are not in the manifest's hash list: they are versioned, replaced
/// and deleted at run time in the adapter store, which checks them itself. Everything is written to a staging directory that is renamed into place at the end, so a
/// refused or failed export leaves nothing behind.
/// </summary>
public static partial class ModelRepositoryExporter
{
    /// <summary>The exporter's version, recorded as the producer of every file.</summary>
    public static string Version { get; } =
        typeof(ModelRepositoryExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>Runs the export.</summary>
    /// <param name="request">What to export and where.</param>
    /// <param name="progress">Called with a short description as each step starts; may be null.</param>
    /// <returns>The manifest written.</returns>
    /// <exception cref="ExportException">The input was refused; nothing was written.</exception>
    public static ModelManifest Export(ModelExportRequest request, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        progress ??= _ => { };
        if (!ModelId().IsMatch(request.ModelId))
        {
            throw new ExportException($"model id '{request.ModelId}' must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }

        var architecture = request.Architecture.Validated();
        var tokens = Vocabulary.Resolve(request.TokensPath, architecture.VocabSize);
        var languageModel = request.LanguageModel is null ? null : LanguageModelExporter.Check(request.LanguageModel, tokens);
        using var staging = new StagingDirectory(request.OutputDirectory, request.Replace);

        progress($"Reading checkpoint {Path.GetFileName(request.CheckpointPath)}");
        var checkpoint = CheckpointLoader.Read(request.CheckpointPath, request.Format);
        progress("Checking tensors against the architecture");
        var domains = CheckpointLoader.ValidateFull(checkpoint.Tensors, architecture);
        var baseSha256 = BaseWeightsHash.Compute(checkpoint.Tensors);
        var checkpointSha256 = Sha256.OfFile(request.CheckpointPath);

        var weights = CheckpointWeights.FromCheckpoint(checkpoint.Tensors);
        var metadata = new Dictionary<string, string>
        {
            ["model_id"] = request.ModelId,
            ["base_sha256"] = baseSha256,
            ["checkpoint_sha256"] = checkpointSha256,
        };
        progress($"Building {RepositoryLayout.Encoder}");
        WriteEncoder(staging.File(RepositoryLayout.Encoder), architecture, weights, metadata, LinearEmitter.FullPrecision, request.SparseInitializers);
        if (request.QuantizeInt8)
        {
            progress($"Building {RepositoryLayout.EncoderInt8} (dynamic int8)");
            WriteEncoder(staging.File(RepositoryLayout.EncoderInt8), architecture, weights, metadata, new Int8LinearEmitter(), request.SparseInitializers);
        }

        File.WriteAllBytes(staging.File(RepositoryLayout.Tokens), Vocabulary.ToFileBytes(tokens));
        var head = new[] { checkpoint.Tensors["ctc.weight"], checkpoint.Tensors["ctc.bias"] };
        File.WriteAllBytes(staging.File(RepositoryLayout.BaseHead), SafetensorsWriter.WriteToArray(head, new Dictionary<string, string> { ["format"] = "pt" }));

        if (request.LanguageModel is not null)
        {
            progress($"Copying {LanguageModelExporter.FileName(request.LanguageModel)}");
            LanguageModelExporter.Copy(request.LanguageModel, staging);
        }

        foreach (var domain in domains)
        {
            progress($"Packing adapter '{domain}'");
            var package = AdapterPackage.Create(checkpoint.Tensors, domain, domain, architecture, request.ModelId, baseSha256);
            var directory = RepositoryLayout.AdapterDirectory(domain, RepositoryLayout.FirstAdapterVersion);
            File.WriteAllBytes(staging.File($"{directory}/{AdapterConfig.FileName}"), package.Config.ToJsonBytes());
            File.WriteAllBytes(staging.File($"{directory}/{AdapterConfig.WeightsFileName}"), package.Weights);
        }

        progress($"Hashing files and writing {RepositoryLayout.Manifest}");
        var manifest = new ModelManifest
        {
            Id = request.ModelId,
            Architecture = architecture,
            EncoderInt8 = request.QuantizeInt8 ? RepositoryLayout.EncoderInt8 : null,
            BaseHead = RepositoryLayout.BaseHead,
            Opset = (int)OnnxGraphBuilder.DefaultOpsetVersion,
            BaseSha256 = baseSha256,
            Files = HashFiles(staging.Path),
            LanguageModel = languageModel,
            Provenance = Provenance(request, checkpoint, checkpointSha256, domains),
        };
        File.WriteAllBytes(staging.File(RepositoryLayout.Manifest), manifest.ToJsonBytes());
        staging.Commit();
        return manifest;
    }

    private static void WriteEncoder(
        string path, EncoderArchitecture architecture, CheckpointWeights weights, Dictionary<string, string> metadata, LinearEmitter linear, bool sparse)
    {
        var options = new EncoderGraphOptions { Linear = linear, Metadata = metadata, ProducerVersion = Version };
        var model = EncoderGraph.Build(architecture, weights, options);
        if (sparse)
        {
            SparseInitializers.Sparsify(model.Graph);
        }

        OnnxModelFile.Save(model, path);
    }

    private static SortedDictionary<string, string> HashFiles(string root)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
            if (!relative.StartsWith(RepositoryLayout.AdaptersDirectory + "/", StringComparison.Ordinal))
            {
                files[relative] = Sha256.OfFile(path);
            }
        }

        return files;
    }

    private static SortedDictionary<string, string> Provenance(
        ModelExportRequest request, Checkpoints.Checkpoint checkpoint, string checkpointSha256, IReadOnlyList<string> domains)
    {
        var provenance = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["checkpoint"] = Path.GetFileName(request.CheckpointPath),
            ["checkpoint_format"] = checkpoint.Format.ToString().ToLowerInvariant(),
            ["checkpoint_sha256"] = checkpointSha256,
            ["adapters"] = string.Join(',', domains),
            ["exporter"] = $"speechserve-export {Version}",
            ["exported_at"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in checkpoint.Metadata)
        {
            provenance["checkpoint." + key] = value;
        }

        return provenance;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex ModelId();
}
