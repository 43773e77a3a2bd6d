namespace SpeechServe.Bench.Translation;

/// <summary>
/// Which ONNX Runtime libraries the process has mapped: the check that GenAI runs on the one native ONNX Runtime of the
/// build (the GPU package's), not a second copy.
/// </summary>
internal static class OnnxRuntimeLibrary
{
    /// <summary>The ONNX Runtime and GenAI libraries mapped into this process (from <c>/proc/self/maps</c>), distinct paths.</summary>
    public static IReadOnlyList<string> Mapped() =>
        [.. File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6 && Path.GetFileName(fields[5]).StartsWith("libonnxruntime", StringComparison.Ordinal))
            .Select(fields => fields[5])
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
}
