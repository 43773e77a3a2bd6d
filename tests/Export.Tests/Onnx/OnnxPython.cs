using System.Diagnostics;

namespace SpeechServe.Export.Tests.Onnx;

/// <summary>
/// Runs Python snippets with the reference <c>onnx</c> package: Debian's interpreter at
/// <c>/usr/bin/python3</c> with <c>python3-onnx</c> (installed by <c>scripts/setup.sh</c>). Another
/// <c>python3</c> on PATH may lack the package, so the path is fixed.
/// </summary>
public static class OnnxPython
{
    private const string Interpreter = "/usr/bin/python3";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Runs <paramref name="script"/> with <paramref name="arguments"/> as <c>sys.argv[1:]</c> and
    /// returns its standard output; fails the test, with Python's error output, on a non-zero exit.
    /// </summary>
    public static string Run(string script, params string[] arguments)
    {
        var result = TryRun(script, arguments);
        Assert.True(result.ExitCode == 0, $"Python exited with {result.ExitCode}:\n{result.Error}\n{result.Output}");
        return result.Output;
    }

    /// <summary>Runs <paramref name="script"/> and returns its exit code and outputs, whatever the exit code.</summary>
    public static PythonResult TryRun(string script, params string[] arguments)
    {
        Assert.True(File.Exists(Interpreter), $"{Interpreter} not found; install Debian's python3 and python3-onnx (scripts/setup.sh).");
        var start = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
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
            Assert.Fail($"Python did not finish within {Timeout.TotalSeconds} s.");
        }

        var error = stderr.GetAwaiter().GetResult();
        if (error.Contains("No module named 'onnx'", StringComparison.Ordinal))
        {
            Assert.Fail($"{Interpreter} has no onnx package; install python3-onnx (scripts/setup.sh).");
        }

        return new PythonResult(process.ExitCode, stdout.GetAwaiter().GetResult(), error);
    }
}

/// <summary>How a Python run ended.</summary>
/// <param name="ExitCode">The process exit code.</param>
/// <param name="Output">Standard output.</param>
/// <param name="Error">Standard error.</param>
public sealed record PythonResult(int ExitCode, string Output, string Error);
