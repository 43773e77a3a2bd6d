using System.Diagnostics;

namespace SpeechServe.Tests.Support;

/// <summary>
/// Runs Debian's Python, <c>/usr/bin/python3</c>, which has python3-torch and python3-onnx (installed by
/// <c>scripts/setup.sh</c>); another <c>python3</c> on PATH may lack them, so the path is fixed.
/// </summary>
public static class DebianPython
{
    /// <summary>The interpreter.</summary>
    public const string Interpreter = "/usr/bin/python3";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>Runs the interpreter with <paramref name="arguments"/> and returns how it ended, whatever the exit code.</summary>
    public static PythonResult Run(IEnumerable<string> arguments, string? workingDirectory = null)
    {
        Assert.True(File.Exists(Interpreter), $"{Interpreter} not found; run scripts/setup.sh.");
        var start = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Interpreter}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"Python did not finish within {Timeout.TotalMinutes} minutes: {string.Join(' ', start.ArgumentList)}");
        }

        return new PythonResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}

/// <summary>How a Python run ended.</summary>
/// <param name="ExitCode">The process exit code.</param>
/// <param name="Output">Standard output.</param>
/// <param name="Error">Standard error.</param>
public sealed record PythonResult(int ExitCode, string Output, string Error);
