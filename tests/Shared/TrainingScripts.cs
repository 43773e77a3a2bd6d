namespace SpeechServe.Tests.Support;

/// <summary>Runs the scripts of <c>training/</c>, so tests read files the training code wrote.</summary>
public static class TrainingScripts
{
    /// <summary>The repository root: the nearest parent directory holding SpeechServe.slnx.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Runs <c>training/<paramref name="script"/></c> and fails the test, with its output, on a non-zero exit.</summary>
    public static string Run(string script, params string[] arguments)
    {
        var result = DebianPython.Run([Path.Combine(RepositoryRoot, "training", script), .. arguments], RepositoryRoot);
        Assert.True(result.ExitCode == 0, $"training/{script} exited with {result.ExitCode}:\n{result.Error}\n{result.Output}");
        return result.Output;
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
