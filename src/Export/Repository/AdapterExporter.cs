using System.IO.Compression;
using SpeechServe.Export.Checkpoints;
using SpeechServe.Export.Decoder;
using SpeechServe.Runtime.Models;

namespace SpeechServe.Export.Repository;

/// <summary>What <see cref="AdapterExporter.Export"/> converts, and where to.</summary>
public sealed record AdapterExportRequest
{
    /// <summary>An adapter checkpoint (only <c>adapters.{domain}.*</c>) or a full checkpoint holding the domain.</summary>
    public required string CheckpointPath { get; init; }

    /// <summary>The checkpoint's format, or null to detect it.</summary>
    public CheckpointFormat? Format { get; init; }

    /// <summary>The model repository the adapter is for (its <c>model.json</c> is read).</summary>
    public required string ModelDirectory { get; init; }

    /// <summary>The zip file to write.</summary>
    public required string OutputPath { get; init; }

    /// <summary>
    /// The adapter's name. With one domain in the checkpoint, the package is given this name (default: the
    /// domain's); with several, it selects the domain and is required.
    /// </summary>
    public string? Name { get; init; }

    /// <summary>
    /// A translation decoder (<c>decoder.safetensors</c> of train_translation.py) to pack with the adapter, making
    /// it a translation package; null for a recognition package.
    /// </summary>
    public string? DecoderPath { get; init; }

    /// <summary>Whether an existing <see cref="OutputPath"/> may be replaced.</summary>
    public bool Replace { get; init; }
}

/// <summary>
/// Packs one domain adapter of a checkpoint as a zip (<c>adapter_config.json</c> and
/// <c>adapter_model.safetensors</c>, with a decoder also <c>decoder.onnx</c> and <c>decoder_cross.onnx</c>)
/// bound to a base model's <c>base_sha256</c>, ready for <c>PUT /admin/adapters/{name}</c>. A full
/// checkpoint is accepted only if its base weights are the base model's.
/// </summary>
public static class AdapterExporter
{
    /// <summary>Runs the export.</summary>
    /// <returns>The config written into the package.</returns>
    /// <exception cref="ExportException">The input was refused; nothing was written.</exception>
    public static AdapterConfig Export(AdapterExportRequest request, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        progress ??= _ => { };
        var output = Path.GetFullPath(request.OutputPath);
        if (!request.Replace && File.Exists(output))
        {
            throw new ExportException($"{request.OutputPath} already exists; choose another --output or pass --force to replace it.");
        }

        var manifest = ReadManifest(request.ModelDirectory);
        progress($"Reading checkpoint {Path.GetFileName(request.CheckpointPath)}");
        var tensors = CheckpointLoader.Read(request.CheckpointPath, request.Format).Tensors;
        var domains = CheckpointLoader.Domains(tensors);
        var domain = SelectDomain(domains, request.Name);
        var name = request.Name ?? domain;
        var architecture = manifest.Architecture;

        progress($"Checking adapter '{domain}' against model {manifest.Id}");
        var hasBase = tensors.Any(t => !t.Name.StartsWith("adapters.", StringComparison.Ordinal));
        if (hasBase)
        {
            CheckpointLoader.Validate(tensors, ReferenceCheckpointSchema.For(architecture, domains));
            var checkpointBase = BaseWeightsHash.Compute(tensors);
            if (checkpointBase != manifest.BaseSha256)
            {
                throw new ExportException(
                    $"the checkpoint's base weights (sha256 {checkpointBase}) are not those of model {manifest.Id} (base_sha256 {manifest.BaseSha256}).");
            }
        }
        else
        {
            CheckpointLoader.Validate(tensors, new CheckpointSchema(domains.SelectMany(d => ReferenceCheckpointSchema.ForAdapter(architecture, d).Specs)));
        }

        var package = AdapterPackage.Create(tensors, domain, name, architecture, manifest.Id, manifest.BaseSha256);
        if (request.DecoderPath is not null)
        {
            progress($"Exporting decoder {Path.GetFileName(request.DecoderPath)}");
            package = package.WithDecoder(ReadDecoder(request.DecoderPath, manifest), ModelRepositoryExporter.Version);
        }

        progress($"Writing {Path.GetFileName(output)}");
        WriteZip(output, package);
        return package.Config;
    }

    private static DecoderCheckpoint ReadDecoder(string path, ModelManifest manifest)
    {
        var decoder = DecoderCheckpoint.Read(path);
        if (decoder.Architecture.DModel != manifest.Architecture.DModel)
        {
            throw new ExportException(
                $"{Path.GetFileName(path)} has d_model {decoder.Architecture.DModel} but model {manifest.Id}'s encoder has {manifest.Architecture.DModel}; train the decoder on this model's encoder.");
        }

        return decoder;
    }

    internal static ModelManifest ReadManifest(string modelDirectory)
    {
        var path = Path.Combine(modelDirectory, RepositoryLayout.Manifest);
        if (!File.Exists(path))
        {
            throw new ExportException($"{path} does not exist; --model must be a model repository written by 'export'.");
        }

        try
        {
            return ModelManifest.Parse(File.ReadAllBytes(path));
        }
        catch (InvalidDataException ex)
        {
            throw new ExportException($"{path}: {ex.Message}", ex);
        }
    }

    private static string SelectDomain(IReadOnlyList<string> domains, string? name)
    {
        if (name is not null)
        {
            CheckpointLoader.RequireAdapterName(name);
        }

        return domains.Count switch
        {
            0 => throw new ExportException("the checkpoint holds no adapters.{name}.* tensors."),
            1 => domains[0],
            _ when name is not null && domains.Contains(name) => name,
            _ => throw new ExportException(
                $"the checkpoint holds adapters {string.Join(", ", domains)}; choose one with --name."),
        };
    }

    internal static void WriteZip(string output, AdapterPackage package)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var temporary = $"{output}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            using (var zip = new ZipArchive(stream, ZipArchiveMode.Create))
            {
                foreach (var (name, content) in package.Files)
                {
                    AddEntry(zip, name, content);
                }
            }

            File.Move(temporary, output, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static void AddEntry(ZipArchive zip, string name, byte[] content)
    {
        // A fixed timestamp keeps the package's bytes a function of its content.
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var stream = entry.Open();
        stream.Write(content);
    }
}
