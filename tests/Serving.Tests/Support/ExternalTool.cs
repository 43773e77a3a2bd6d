using System.Diagnostics;

namespace SpeechServe.Serving.Tests.Support;

/// <summary>Runs a command-line tool the tests rely on (espeak-ng, ffmpeg, curl, node) and captures its output.</summary>
internal static class ExternalTool
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(1);

    /// <summary>Runs <paramref name="fileName"/> and returns its exit code and output; kills it after the timeout.</summary>
    public static async Task<ToolResult> RunAsync(
        string fileName, IEnumerable<string> arguments, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(fileName)
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

        using var process = StartOrFail(start);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{fileName} did not finish within {(timeout ?? DefaultTimeout).TotalSeconds} s:\n{await stderr}\n{await stdout}");
        }

        return new ToolResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs the tool and fails the test, with its output, on a non-zero exit.</summary>
    public static async Task<string> RunCheckedAsync(
        string fileName, IEnumerable<string> arguments, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var result = await RunAsync(fileName, arguments, workingDirectory, timeout);
        Assert.True(result.ExitCode == 0, $"{fileName} exited with {result.ExitCode}:\n{result.StandardError}\n{result.StandardOutput}");
        return result.StandardOutput;
    }

    private static Process StartOrFail(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException(
                $"{start.FileName} is not installed or not on PATH ({ex.Message}); scripts/setup.sh installs what the tests need.", ex);
        }
    }
}

/// <summary>What a tool run printed and how it exited.</summary>
internal sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError);
