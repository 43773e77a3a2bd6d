using System.Text.Json;
using SpeechServe.Serving.Tests.Support;
using SpeechServe.Tests.Support;

namespace SpeechServe.Serving.Tests.Transcription;

/// <summary>The official <c>openai</c> npm client, unchanged, against the server (tests/e2e/transcribe.mjs).</summary>
[Collection(ServingServerDefinition.Name)]
public sealed class OpenAiNodeClientTests(ServingServerFixture server)
{
    private static readonly string E2eDirectory = Path.Combine(TrainingScripts.RepositoryRoot, "tests", "e2e");

    [Fact]
    public async Task OpenAiClient_Transcriptions_ParsesEveryShapeTheServerSends()
    {
        Assert.True(
            Directory.Exists(Path.Combine(E2eDirectory, "node_modules", "openai")),
            "tests/e2e/node_modules is missing: run scripts/setup.sh (or npm ci in tests/e2e).");
        var wav = Path.Combine(server.ScratchPath, $"node-{Guid.NewGuid():N}.wav");
        await File.WriteAllBytesAsync(wav, await server.Speech.WavAsync(16_000));

        var result = await ExternalTool.RunAsync(
            "node", ["transcribe.mjs", new Uri(server.BaseAddress, "v1").ToString(), wav, "medical"], E2eDirectory);

        Assert.True(result.ExitCode == 0, $"node exited with {result.ExitCode}:\n{result.StandardError}\n{result.StandardOutput}\n{server.ServerOutput}");
        using var document = JsonDocument.Parse(result.StandardOutput);
        var root = document.RootElement;
        var text = root.GetProperty("json").GetProperty("text").GetString();
        Assert.NotNull(text);

        var verbose = VerboseTranscription.Parse(root.GetProperty("verbose").GetRawText());
        TranscriptAssert.WellFormed(verbose, await server.Speech.DurationAsync(), 0.01, expectWords: true);
        Assert.Equal(text, verbose.Text);
        Assert.Equal(new VerboseAdapter("medical", 1), verbose.Adapter);

        Assert.Equal(text + "\n", root.GetProperty("text").GetString());

        var error = root.GetProperty("notFound");
        Assert.Equal(404, error.GetProperty("status").GetInt32());
        Assert.Equal("NotFoundError", error.GetProperty("name").GetString());
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        Assert.Equal("model", error.GetProperty("param").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
    }
}
