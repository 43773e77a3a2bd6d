using System.Text.Json;
using SpeechServe.Serving.Tests.Support;
using SpeechServe.Tests.Support;

namespace SpeechServe.Serving.Tests.Translation;

/// <summary>The official <c>openai</c> npm client's <c>audio.translations.create</c>, unchanged, against the server (tests/e2e/translate.mjs).</summary>
[Collection(ShippedTranslationDefinition.Name)]
public sealed class OpenAiNodeClientTranslationTests(ShippedTranslationFixture server)
{
    private static readonly string E2eDirectory = Path.Combine(TrainingScripts.RepositoryRoot, "tests", "e2e");

    [Fact]
    public async Task OpenAiClient_Translations_ParsesEveryShapeAndTheRefusal()
    {
        Assert.True(
            Directory.Exists(Path.Combine(E2eDirectory, "node_modules", "openai")),
            "tests/e2e/node_modules is missing: run scripts/setup.sh (or npm ci in tests/e2e).");
        var sentence = TranslationSentence.HeldOut[2];
        var wav = Path.Combine(server.ScratchPath, $"node-{Guid.NewGuid():N}.wav");
        await File.WriteAllBytesAsync(wav, await server.WavAsync(sentence, "de"));

        var result = await ExternalTool.RunAsync(
            "node",
            ["translate.mjs", new Uri(server.Server.BaseAddress, "v1").ToString(), wav, "translate-de", ShippedTranslationFixture.RecognitionAdapter],
            E2eDirectory);

        Assert.True(result.ExitCode == 0, $"node exited with {result.ExitCode}:\n{result.StandardError}\n{result.StandardOutput}\n{server.Server.Output}");
        using var document = JsonDocument.Parse(result.StandardOutput);
        var root = document.RootElement;
        var text = root.GetProperty("json").GetProperty("text").GetString()!;
        TranslationAssert.Close(sentence.English, text);

        var verbose = VerboseTranscription.Parse(root.GetProperty("verbose").GetRawText());
        Assert.Equal(("translate", "english", text), (verbose.Task, verbose.Language, verbose.Text));
        Assert.Equal(new VerboseAdapter("translate-de", 1), verbose.Adapter);
        Assert.Equal(text, Assert.Single(verbose.Segments).Text);

        Assert.Equal(text + "\n", root.GetProperty("text").GetString());

        var error = root.GetProperty("notTranslation");
        Assert.Equal(400, error.GetProperty("status").GetInt32());
        Assert.Equal("BadRequestError", error.GetProperty("name").GetString());
        Assert.Equal("model_not_translation", error.GetProperty("code").GetString());
        Assert.Equal("model", error.GetProperty("param").GetString());
        Assert.Contains("translate-de", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
