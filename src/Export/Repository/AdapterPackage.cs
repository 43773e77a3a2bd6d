using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Export.Repository;

/// <summary>
/// The two files of an adapter package: <c>adapter_config.json</c> bound to a base model, and
/// <c>adapter_model.safetensors</c> with the adapter's <c>adapters.{name}.*</c> tensors in the
/// checkpoint layout (PyTorch <c>[out, in]</c> Linear weights).
/// </summary>
/// <param name="Config">The config.</param>
/// <param name="Weights">The safetensors file's bytes.</param>
public sealed record AdapterPackage(AdapterConfig Config, byte[] Weights)
{
    /// <summary>
    /// Packs domain <paramref name="domain"/> of a validated checkpoint as adapter <paramref name="name"/>
    /// (tensors renamed from <c>adapters.{domain}.</c> to <c>adapters.{name}.</c>).
    /// </summary>
    public static AdapterPackage Create(
        TensorMap tensors, string domain, string name, EncoderArchitecture architecture, string baseModelId, string baseSha256)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(architecture);
        CheckpointLoader.RequireAdapterName(name);
        var from = $"adapters.{domain}.";
        var to = $"adapters.{name}.";
        var selected = tensors
            .Where(t => t.Name.StartsWith(from, StringComparison.Ordinal))
            .Select(t => t.WithName(to + t.Name[from.Length..]))
            .ToList();
        var config = new AdapterConfig
        {
            Name = name,
            BaseModel = baseModelId,
            BaseSha256 = baseSha256,
            BottleneckSize = architecture.AdapterDim,
            Layers = architecture.NumLayers,
        };
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["adapter"] = name, ["base_sha256"] = baseSha256 };
        return new AdapterPackage(config, SafetensorsWriter.WriteToArray(selected, metadata));
    }
}
