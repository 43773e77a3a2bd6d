using System.Text.Json;
using SpeechServe.Serving.Tests.Support;
using SpeechServe.Tests.Support;

namespace SpeechServe.Serving.Tests.Security;

/// <summary>The official <c>openai</c> npm client's <c>apiKey</c> is the server's API key (tests/e2e/api-key.mjs).</summary>
[Collection(SecuredServerGroup.Name)]
public sealed class OpenAiNodeClientKeyTests(SecuredServerFixture server)
{
    private static readonly string E2eDirectory = Path.Combine(TrainingScripts.RepositoryRoot, "tests", "e2e");

    [Fact]
    public async Task OpenAiClient_ConfiguredKey_TranscribesAndWrongKeyRaisesAuthenticationError()
    {
        Assert.True(
            Directory.Exists(Path.Combine(E2eDirectory, "node_modules", "openai")),
            "tests/e2e/node_modules is missing: run scripts/setup.sh (or npm ci in tests/e2e).");
        var wav = Path.Combine(Path.GetTempPath(), $"speechserve-key-{Guid.NewGuid():N}.wav");
        await File.WriteAllBytesAsync(wav, SecuredServerFixture.Wav);
        try
        {
            var result = await ExternalTool.RunAsync(
                "node", ["api-key.mjs", new Uri(server.BaseAddress, "v1").ToString(), wav, "medical", SecuredServerFixture.KeyA], E2eDirectory);

            Assert.True(result.ExitCode == 0, $"node exited with {result.ExitCode}:\n{result.StandardError}\n{result.StandardOutput}\n{server.Server.Output}");
            using var document = JsonDocument.Parse(result.StandardOutput);
            var root = document.RootElement;
            Assert.Contains(root.GetProperty("models").EnumerateArray(), m => m.GetString() == "medical");
            Assert.NotNull(root.GetProperty("text").GetString());
            var refused = root.GetProperty("refused");
            Assert.Equal("AuthenticationError", refused.GetProperty("name").GetString());
            Assert.Equal(401, refused.GetProperty("status").GetInt32());
            Assert.Equal("invalid_api_key", refused.GetProperty("code").GetString());
        }
        finally
        {
            File.Delete(wav);
        }
    }
}
