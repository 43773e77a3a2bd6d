using System.Diagnostics;

namespace SpeechServe.Runtime.Tests.Audio;

/// <summary>Runs the ffmpeg CLI to make test inputs.</summary>
internal static class FfmpegCli
{
    public static string? Path { get; } = Find();

    /// <summary>Encodes <paramref name="inputFile"/> into <paramref name="outputFile"/> with the given codec arguments.</summary>
    public static void Encode(string inputFile, string outputFile, params string[] codecArguments)
    {
        var info = new ProcessStartInfo(Path ?? "ffmpeg")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-hide_banner", "-loglevel", "error", "-y", "-i", inputFile, .. codecArguments, outputFile])
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg failed to make {outputFile}: {stderr.Result}");
        }
    }

    private static string? Find()
    {
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(System.IO.Path.PathSeparator);
        return directories
            .Where(d => d.Length > 0)
            .Select(d => System.IO.Path.Combine(d, OperatingSystem.IsWindows() ? "ffmpeg.exe" : "ffmpeg"))
            .FirstOrDefault(File.Exists);
    }
}
