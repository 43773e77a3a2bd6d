using System.Diagnostics;

namespace SpeechServe.Export.Tests;

/// <summary>Runs the <c>speechserve-export</c> executable built beside the tests.</summary>
public static class ExportCli
{
    /// <summary>Runs the exporter with <paramref name="arguments"/> and returns its exit code and output.</summary>
    public static (int Code, string Stdout, string Stderr) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "speechserve-export.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "the exporter did not finish within 2 minutes");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
