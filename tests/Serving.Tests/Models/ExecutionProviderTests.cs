using System.Net;
using System.Text.Json;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Models;

/// <summary>
/// The execution provider settings on the real server: a model asked to run on CUDA runs there where CUDA loads,
/// and otherwise logs why and serves on the CPU; either way the API reports what it runs on.
/// </summary>
public sealed class ExecutionProviderTests
{
    private const string FallbackWarning = "falling back to the CPU execution provider";

    [Fact]
    public async Task ModelOverride_Cuda_ServesAndReportsTheProviderItRunsOn()
    {
        using var repository = RandomModelRepository.Create();
        var speech = await TestSpeech.CreateAsync(repository.ScratchPath);
        await using var server = await ServingProcess.StartAsync(
            new Dictionary<string, string>
            {
                ["Serving__ModelsPath"] = repository.ModelsPath,
                [$"Serving__Models__{RandomModelRepository.ModelId}__ExecutionProvider"] = "cuda",
            },
            TimeSpan.FromSeconds(60));
        using var client = server.CreateClient();

        using var content = TranscriptionUpload.Create(await speech.WavAsync(16_000), RandomModelRepository.ModelId);
        using var transcription = await client.PostAsync(TranscriptionUpload.Path, content);
        using var models = await client.GetAsync(new Uri("/v1/models", UriKind.Relative));
        using var readiness = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, transcription.StatusCode);
        var expected = server.FullOutput.Contains(FallbackWarning, StringComparison.Ordinal) ? "cpu" : "cuda";
        using var list = JsonDocument.Parse(await models.Content.ReadAsStringAsync());
        Assert.All(list.RootElement.GetProperty("data").EnumerateArray(), m => Assert.Equal(expected, m.GetProperty("execution_provider").GetString()));
        using var ready = JsonDocument.Parse(await readiness.Content.ReadAsStringAsync());
        var model = Assert.Single(ready.RootElement.GetProperty("models").EnumerateArray());
        Assert.Equal(RandomModelRepository.ModelId, model.GetProperty("id").GetString());
        Assert.Equal(expected, model.GetProperty("execution_provider").GetString());
    }

    [Fact]
    public async Task Start_UnknownExecutionProvider_ExitsNamingTheSetting()
    {
        using var repository = RandomModelRepository.Create();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ServingProcess.StartAsync(
            new Dictionary<string, string> { ["Serving__ModelsPath"] = repository.ModelsPath, ["Serving__ExecutionProvider"] = "tpu" },
            TimeSpan.FromSeconds(60)));

        Assert.Contains("exited", error.Message, StringComparison.Ordinal);
        Assert.Contains("Serving:ExecutionProvider", error.Message, StringComparison.Ordinal);
    }
}
