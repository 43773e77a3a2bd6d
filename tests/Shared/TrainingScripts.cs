using System.Diagnostics;

namespace SpeechServe.Tests.Support;

/// <summary>
/// Runs the training scripts of <c>training/</c> with Debian's Python (<c>/usr/bin/python3</c>, which has
/// python3-torch; installed by <c>scripts/setup.sh</c>), so tests read files the training code wrote.
/// </summary>
public static class TrainingScripts
{
    private const string Interpreter = "/usr/bin/python3";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>The repository root: the nearest parent directory holding SpeechServe.slnx.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Runs <c>training/<paramref name="script"/></c> and fails the test, with its output, on a non-zero exit.</summary>
    public static string Run(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot,
        };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot, "training", script));
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
            Assert.Fail($"training/{script} did not finish within {Timeout.TotalMinutes} minutes.");
        }

        Assert.True(process.ExitCode == 0, $"training/{script} exited with {process.ExitCode}:\n{stderr.Result}\n{stdout.Result}");
        return stdout.Result;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SpeechServe.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("SpeechServe.slnx not found above the test binaries.");
    }
}
