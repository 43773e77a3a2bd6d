using System.IO.Compression;
using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Bench.Soak;

/// <summary>
/// A second version of a stored adapter: the same config, with every adapter up-projection halved, so that
/// the two versions differ in weights (and output) while both stay valid for the base model.
/// </summary>
internal static class AdapterVersionPackage
{
    /// <summary>The zip package (docs/adapters.md) built from the version stored in <paramref name="versionDirectory"/>.</summary>
    public static byte[] Derive(string versionDirectory)
    {
        var weights = SafetensorsReader.ReadFile(Path.Combine(versionDirectory, "adapter_model.safetensors"));
        var changed = weights.Tensors.Select(t => t.Name.EndsWith(".up.weight", StringComparison.Ordinal) ? Halved(t) : t).ToList();
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            archive.CreateEntryFromFile(Path.Combine(versionDirectory, "adapter_config.json"), "adapter_config.json");
            using var entry = archive.CreateEntry("adapter_model.safetensors").Open();
            SafetensorsWriter.Write(entry, changed, weights.Metadata);
        }

        return zip.ToArray();
    }

    private static NamedTensor Halved(NamedTensor tensor) =>
        NamedTensor.FromFloat32(tensor.Name, tensor.Shape.AsSpan(), tensor.ToFloat32().Select(v => v * 0.5f).ToArray());
}
