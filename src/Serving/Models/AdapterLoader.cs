using System.Globalization;
using SpeechServe.Adapters.Packages;
using SpeechServe.Runtime.Models;

namespace SpeechServe.Serving.Models;

/// <summary>
/// Loads the adapters of a model repository: <c>adapters/&lt;name&gt;/&lt;version&gt;/</c>, the highest
/// version of each. A package that fails its checks is logged and skipped; the others serve.
/// </summary>
public sealed partial class AdapterLoader(ILogger<AdapterLoader> logger)
{
    /// <summary>The adapters of <paramref name="model"/> by name.</summary>
    public IReadOnlyDictionary<string, ServedAdapter> LoadActive(SpeechModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var adapters = new Dictionary<string, ServedAdapter>(StringComparer.Ordinal);
        var root = Path.Combine(model.Directory, "adapters");
        if (!Directory.Exists(root))
        {
            return adapters;
        }

        foreach (var adapterDirectory in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            var latest = Directory.GetDirectories(adapterDirectory)
                .Select(d => (Path: d, Version: int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1))
                .Where(v => v.Version > 0)
                .OrderByDescending(v => v.Version)
                .FirstOrDefault();
            if (latest.Path is null)
            {
                continue;
            }

            try
            {
                var package = AdapterPackageReader.ReadDirectory(latest.Path, model.Manifest);
                adapters[package.Config.Name] = new ServedAdapter(package.Config.Name, latest.Version, package.Weights);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or Runtime.Tensors.CheckpointFormatException)
            {
                Log.AdapterSkipped(logger, latest.Path, ex.Message);
            }
        }

        return adapters;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Skipped the adapter package in {Directory}: {Reason}")]
        public static partial void AdapterSkipped(ILogger logger, string directory, string reason);
    }
}
