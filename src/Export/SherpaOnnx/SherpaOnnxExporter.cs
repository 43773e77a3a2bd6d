using System.Globalization;
using System.Text;
using SpeechServe.Export.Onnx;
using SpeechServe.Export.Onnx.Proto;
using SpeechServe.Export.Repository;
using SpeechServe.Runtime.Encoder;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Tensors;
using N = SpeechServe.Runtime.Encoder.EncoderGraphNames;

namespace SpeechServe.Export.SherpaOnnx;

/// <summary>
/// Writes a model repository's CTC model in the form sherpa-onnx's offline recognizer loads as an
/// <c>omnilingual</c> CTC model (docs/sherpa-onnx.md): <c>model.onnx</c> with one input, raw samples
/// <c>[batch, num_samples]</c>, and one output, CTC log-probabilities <c>[batch, frames, V]</c>, our log-mel
/// frontend and one domain's adapter and head built in; and <c>tokens.txt</c> as <c>token id</c> lines.
/// </summary>
public static class SherpaOnnxExporter
{
    /// <summary>The model file written.</summary>
    public const string ModelFile = "model.onnx";

    /// <summary>The vocabulary file written.</summary>
    public const string TokensFile = "tokens.txt";

    /// <summary>The graph output: CTC log-probabilities.</summary>
    public const string Logits = "logits";

    /// <summary>The sherpa-onnx model configuration this export is loaded with.</summary>
    public const string SherpaModelConfig = "omnilingual";

    /// <summary>Runs the export.</summary>
    /// <param name="request">What to export and where.</param>
    /// <param name="progress">Called with a short description as each step starts; may be null.</param>
    /// <returns>The metadata written into the model.</returns>
    /// <exception cref="ExportException">The repository or adapter is unusable, or the output is in the way; nothing was written.</exception>
    public static IReadOnlyDictionary<string, string> Export(SherpaOnnxExportRequest request, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        progress ??= _ => { };
        if (!float.IsFinite(request.InputGain) || request.InputGain <= 0)
        {
            throw new ExportException($"--input-gain must be a positive number, not {request.InputGain.ToString(CultureInfo.InvariantCulture)}.");
        }

        var manifestPath = Path.Combine(request.ModelDirectory, RepositoryLayout.Manifest);
        if (!File.Exists(manifestPath))
        {
            throw new ExportException($"{request.ModelDirectory} is not a model repository: it has no {RepositoryLayout.Manifest}.");
        }

        var manifest = ModelManifest.Parse(File.ReadAllBytes(manifestPath));
        var tokens = Vocabulary.Load(Path.Combine(request.ModelDirectory, manifest.Vocabulary), manifest.Architecture.VocabSize);
        progress(request.Adapter is null ? "Reading the base CTC head" : $"Reading adapter '{request.Adapter}'");
        var (adapter, adapterLabel) = ReadAdapter(request, manifest);

        progress($"Reading {manifest.Encoder}");
        var encoder = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(request.ModelDirectory, manifest.Encoder)));
        progress("Building the waveform frontend and composing it with the encoder");
        var frontend = WaveformFrontendGraph.Build(manifest.Architecture, adapter, request.InputGain);
        var model = OnnxModelComposer.Compose(frontend, encoder, [new(N.LogProbs, Logits)], "frontend/");
        model.DocString = "SpeechServe CTC model for sherpa-onnx's offline recognizer (omnilingual CTC model type): "
            + "raw 16 kHz samples in, CTC log-probabilities out, log-mel frontend inside (docs/sherpa-onnx.md).";
        var metadata = Metadata(request, manifest, adapterLabel);
        model.MetadataProps.AddRange(metadata.Select(e => new StringStringEntryProto { Key = e.Key, Value = e.Value }));

        using var staging = new StagingDirectory(request.OutputDirectory, request.Replace);
        progress($"Writing {ModelFile} and {TokensFile}");
        OnnxModelFile.Save(model, staging.File(ModelFile));
        File.WriteAllBytes(staging.File(TokensFile), TokensFileBytes(tokens));
        staging.Commit();
        return metadata;
    }

    /// <summary><c>tokens.txt</c> as sherpa-onnx reads it: <c>token id</c> per line, UTF-8, LF endings.</summary>
    public static byte[] TokensFileBytes(IReadOnlyList<string> tokens) =>
        new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(
            string.Concat(tokens.Select((token, id) => string.Create(CultureInfo.InvariantCulture, $"{token} {id}\n"))));

    private static (AdapterWeights Weights, string Label) ReadAdapter(SherpaOnnxExportRequest request, ModelManifest manifest)
    {
        if (request.Adapter is not { } name)
        {
            var head = SafetensorsReader.ReadFile(Path.Combine(request.ModelDirectory, manifest.BaseHead)).Tensors;
            return (AdapterWeightsReader.ReadBase(manifest.Architecture, head), "none");
        }

        var versions = Path.Combine(request.ModelDirectory, RepositoryLayout.AdaptersDirectory, name);
        var newest = Directory.Exists(versions)
            ? Directory.EnumerateDirectories(versions)
                .Select(path => int.TryParse(Path.GetFileName(path), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0)
                .DefaultIfEmpty(0).Max()
            : 0;
        if (newest == 0)
        {
            throw new ExportException($"The repository has no adapter '{name}' under {RepositoryLayout.AdaptersDirectory}/{name}/<version>/.");
        }

        var directory = Path.Combine(request.ModelDirectory, RepositoryLayout.AdapterDirectory(name, newest));
        var config = AdapterConfig.Parse(File.ReadAllBytes(Path.Combine(directory, AdapterConfig.FileName)));
        if (config.BaseSha256 != manifest.BaseSha256)
        {
            throw new ExportException($"Adapter '{name}' version {newest} was trained on base weights {config.BaseSha256[..16]}…, not this model's {manifest.BaseSha256[..16]}….");
        }

        var tensors = SafetensorsReader.ReadFile(Path.Combine(directory, AdapterConfig.WeightsFileName)).Tensors;
        return (AdapterWeightsReader.ReadDomain(manifest.Architecture, tensors, name), $"{name}/{newest}");
    }

    private static Dictionary<string, string> Metadata(SherpaOnnxExportRequest request, ModelManifest manifest, string adapter) => new()
    {
        ["model_type"] = "speechserve_ctc",
        ["sherpa_onnx_model_config"] = SherpaModelConfig,
        ["model_id"] = manifest.Id,
        ["base_sha256"] = manifest.BaseSha256,
        ["adapter"] = adapter,
        ["vocab_size"] = manifest.Architecture.VocabSize.ToString(CultureInfo.InvariantCulture),
        ["subsampling_factor"] = EncoderArchitecture.Subsampling.ToString(CultureInfo.InvariantCulture),
        ["sample_rate"] = "16000",
        ["input_gain"] = request.InputGain.ToString("R", CultureInfo.InvariantCulture),
        ["frontend"] = "log-mel in graph: periodic Hann 400, hop 160, FFT 512, power, HTK mel 80 x 0-8000 Hz, ln(max(x, 1e-10))",
        ["exporter"] = $"speechserve-export {ModelRepositoryExporter.Version}",
    };
}
