using System.Runtime.InteropServices;

namespace SpeechServe.Bench.Translation;

/// <summary>
/// The one native ONNX Runtime of this program: the GPU package's <c>libonnxruntime.so</c>, loaded before either
/// binding asks for it. Its SONAME is <c>libonnxruntime.so.1</c>, so the project's own binding (which loads that name)
/// gets this library; GenAI loads <c>libonnxruntime.so</c> from its own folder, which is the same file.
/// </summary>
internal static class OnnxRuntimeLibrary
{
    /// <summary>Where the GPU package's native files land in a framework-dependent output.</summary>
    public static string NativeDirectory => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");

    /// <summary>Loads the library; call before anything touches ONNX Runtime.</summary>
    public static void Load() => NativeLibrary.Load(Path.Combine(NativeDirectory, "libonnxruntime.so"));

    /// <summary>The ONNX Runtime and GenAI libraries mapped into this process (from <c>/proc/self/maps</c>), distinct paths.</summary>
    public static IReadOnlyList<string> Mapped() =>
        [.. File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6 && Path.GetFileName(fields[5]).StartsWith("libonnxruntime", StringComparison.Ordinal))
            .Select(fields => fields[5])
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
}
