using System.IO.Compression;
using System.Text.Json;

namespace SpeechServe.Tests.Support;

/// <summary>
/// The word language model of the shipped reference model (<c>models/speechfm-en-small</c>), for tests that need a
/// real ARPA file: the file its manifest names, plain (<c>lm.arpa</c>) or gzip-compressed (<c>lm.arpa.gz</c>).
/// </summary>
public static class ShippedLanguageModel
{
    /// <summary>The shipped file, as its manifest's <c>language_model.file</c> names it.</summary>
    public static string FilePath { get; } = Resolve();

    /// <summary>Writes the ARPA text, decompressed when the shipped file is compressed, to <paramref name="path"/>.</summary>
    public static string WritePlain(string path)
    {
        using var source = File.OpenRead(FilePath);
        using var text = FilePath.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(source, CompressionMode.Decompress) : (Stream)source;
        using var target = File.Create(path);
        text.CopyTo(target);
        return path;
    }

    private static string Resolve()
    {
        var directory = Path.Combine(TrainingScripts.RepositoryRoot, "models", "speechfm-en-small");
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, "model.json")));
        return Path.Combine(directory, manifest.RootElement.GetProperty("language_model").GetProperty("file").GetString()!);
    }
}
