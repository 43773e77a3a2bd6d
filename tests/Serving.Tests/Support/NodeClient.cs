using System.Text.Json;
using SpeechServe.Tests.Support;

namespace SpeechServe.Serving.Tests.Support;

/// <summary>Runs a client script of tests/e2e with node (real npm clients: <c>openai</c>, <c>ws</c>) and reads the one JSON object it prints.</summary>
internal static class NodeClient
{
    private static readonly string E2eDirectory = Path.Combine(TrainingScripts.RepositoryRoot, "tests", "e2e");

    /// <summary>The script's output; fails the test, with the server's output, when node exits with an error.</summary>
    public static async Task<JsonElement> RunAsync(string script, IEnumerable<string> arguments, string serverOutput, TimeSpan? timeout = null)
    {
        Assert.True(
            Directory.Exists(Path.Combine(E2eDirectory, "node_modules", "openai")),
            "tests/e2e/node_modules is missing: run scripts/setup.sh (or npm ci in tests/e2e).");
        var result = await ExternalTool.RunAsync("node", [script, .. arguments], E2eDirectory, timeout);
        Assert.True(result.ExitCode == 0, $"node {script} exited with {result.ExitCode}:\n{result.StandardError}\n{result.StandardOutput}\n{serverOutput}");
        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement.Clone();
    }
}
