using System.Diagnostics;

namespace SpeechServe.Runtime.Tests.Build;

/// <summary>
/// The build step that fetches the ONNX Runtime native library (build/OnnxRuntimeNative.targets) stops
/// with a message that says what to do when the tarball is wrong or cannot be fetched. Runs the target in
/// a throwaway project with its own cache directory, so the real cache is untouched.
/// </summary>
public sealed class NativeLibraryFetchTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("speechserve-fetch-").FullName;

    [Fact]
    public void Fetch_TarballWithWrongChecksum_FailsNamingBothHashes()
    {
        var tarball = Path.Combine(_directory, "onnxruntime-node-1.30.0.tgz");
        File.WriteAllText(tarball, "not the release");

        var (exitCode, output) = RunFetch($"-p:OnnxRuntimeNodeTarball={tarball}");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("SHA-256 mismatch for onnxruntime-node-1.30.0.tgz: expected 6E3390D6", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "cache", "libonnxruntime.so.1")));
    }

    [Fact]
    public void Fetch_RegistryUnreachable_FailsSayingWhatToDo()
    {
        var (exitCode, output) = RunFetch(environment: new() { ["npm_config_registry"] = "http://127.0.0.1:9/", ["npm_config_fetch_retries"] = "0" });

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Could not fetch onnxruntime-node@1.30.0 with npm", output, StringComparison.Ordinal);
        Assert.Contains("/p:OnnxRuntimeNodeTarball=PATH", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Fetch_LibraryAlreadyCached_FetchesNothing()
    {
        var cache = Path.Combine(_directory, "cache");
        Directory.CreateDirectory(cache);
        File.WriteAllText(Path.Combine(cache, "libonnxruntime.so.1"), "cached");

        var (exitCode, output) = RunFetch(environment: new() { ["npm_config_registry"] = "http://127.0.0.1:9/" });

        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain("Fetching onnxruntime-node", output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private (int ExitCode, string Output) RunFetch(string? extraProperty = null, Dictionary<string, string>? environment = null)
    {
        var project = Path.Combine(_directory, "fetch.proj");
        var targets = Path.Combine(RepositoryRoot(), "build", "OnnxRuntimeNative.targets");
        File.WriteAllText(project, $"""<Project><Import Project="{targets}" /><Target Name="Build" DependsOnTargets="FetchOnnxRuntimeNative" /></Project>""");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        foreach (var argument in new[] { "msbuild", project, "-nologo", "-t:Build", $"-p:OnnxRuntimeCacheDir={_directory}/cache/", extraProperty })
        {
            if (argument is not null)
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var (key, value) in environment ?? [])
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "msbuild did not finish");
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory!.FullName, "SpeechServe.slnx")))
        {
            directory = directory.Parent;
        }

        return directory.FullName;
    }
}
