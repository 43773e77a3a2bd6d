using SpeechServe.Export.Repository;

namespace SpeechServe.Bench.Load.Adapters;

/// <summary>
/// Packages of one shipped adapter under new names, written by the exporter (<c>export-adapter --name</c>)
/// from the adapter's stored weights.
/// </summary>
internal static class AdapterCopies
{
    public static byte[] Package(string modelDirectory, string adapter, string name, string scratch)
    {
        var versions = Path.Combine(modelDirectory, "adapters", adapter);
        var latest = Directory.GetDirectories(versions)
            .Select(d => (Directory: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
            .MaxBy(d => d.Version).Directory;
        var output = Path.Combine(scratch, $"{name}.zip");
        AdapterExporter.Export(new AdapterExportRequest
        {
            CheckpointPath = Path.Combine(latest, "adapter_model.safetensors"),
            ModelDirectory = modelDirectory,
            OutputPath = output,
            Name = name,
            Replace = true,
        });
        return File.ReadAllBytes(output);
    }
}
