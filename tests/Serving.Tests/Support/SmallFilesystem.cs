using System.Diagnostics;
using System.Globalization;

namespace SpeechServe.Serving.Tests.Support;

/// <summary>
/// A tmpfs of a fixed size mounted on a directory, for tests that need a real full disk. Mounting needs root
/// (or CAP_SYS_ADMIN); <see cref="Unavailable"/> says why it cannot be done here, and
/// <see cref="SmallFilesystemFactAttribute"/> reports such tests as skipped with that reason.
/// </summary>
internal sealed class SmallFilesystem : IDisposable
{
    private static readonly Lazy<string?> Probe = new(ProbeMount);

    private SmallFilesystem(string path) => Path = path;

    /// <summary>Why a tmpfs cannot be mounted here, or null when it can.</summary>
    public static string? Unavailable => Probe.Value;

    /// <summary>The mount point.</summary>
    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="bytes"/> on the new directory <paramref name="path"/>.</summary>
    public static SmallFilesystem Mount(string path, long bytes)
    {
        Directory.CreateDirectory(path);
        var result = Run("mount", "-t", "tmpfs", "-o", $"size={bytes.ToString(CultureInfo.InvariantCulture)}", "tmpfs", path);
        Assert.True(result.ExitCode == 0, $"mount -t tmpfs failed: {result.Error}");
        return new SmallFilesystem(path);
    }

    /// <inheritdoc/>
    public void Dispose() => Run("umount", Path);

    private static string? ProbeMount()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "mounting a tmpfs needs Linux.";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "mounting a tmpfs needs root; run the test as root (or in a container with CAP_SYS_ADMIN) to simulate a full disk.";
        }

        var probe = Directory.CreateTempSubdirectory("speechserve-tmpfs-probe-").FullName;
        try
        {
            var result = Run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", probe);
            if (result.ExitCode != 0)
            {
                return $"mount -t tmpfs is refused here ({result.Error.Trim()}); a container needs CAP_SYS_ADMIN to simulate a full disk.";
            }

            Run("umount", probe);
            return null;
        }
        finally
        {
            Directory.Delete(probe);
        }
    }

    private static (int ExitCode, string Error) Run(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error);
    }
}

/// <summary>A fact that needs a mounted tmpfs; skipped, with the reason, where this process cannot mount one.</summary>
public sealed class SmallFilesystemFactAttribute : FactAttribute
{
    public SmallFilesystemFactAttribute()
    {
        if (SmallFilesystem.Unavailable is { } reason)
        {
            Skip = reason;
        }
    }
}
