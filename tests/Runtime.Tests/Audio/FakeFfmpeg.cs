using System.Runtime.Versioning;

namespace SpeechServe.Runtime.Tests.Audio;

/// <summary>Shell scripts that stand in for ffmpeg, and a wait for the processes they started to end.</summary>
[UnsupportedOSPlatform("windows")]
internal static class FakeFfmpeg
{
    /// <summary>Writes an executable <c>/bin/sh</c> script with <paramref name="body"/> into <paramref name="directory"/>; returns its path.</summary>
    public static string Write(string directory, string body)
    {
        var path = Path.Combine(directory, $"fake-ffmpeg-{Guid.NewGuid():N}.sh");
        File.WriteAllText(path, "#!/bin/sh\n" + body);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    /// <summary>True while the process exists and is not a zombie.</summary>
    public static bool IsRunning(int pid) =>
        Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);

    /// <summary>Waits up to 5 s for the process to end, then fails naming <paramref name="what"/>.</summary>
    public static async Task AssertEndsAsync(int pid, string what)
    {
        for (var i = 0; i < 100 && IsRunning(pid); i++)
        {
            await Task.Delay(50);
        }

        Assert.False(IsRunning(pid), $"{what} is still running");
    }
}
