using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SpeechServe.Serving.Models;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Health;

/// <summary>
/// Readiness before any model is served, in-process with <see cref="WebApplicationFactory{TEntryPoint}"/>:
/// while loading has not finished, and after it failed because the models directory holds no repository.
/// </summary>
public sealed class ReadinessIntegrationTests : IDisposable
{
    private readonly ScratchDirectory _emptyModels = new("speechserve-empty-models");

    [Fact]
    public async Task Readyz_EmptyModelsPath_ReportsFailedWithTheReason()
    {
        await using var factory = Factory(services => { }, _emptyModels.Path);
        using var client = factory.CreateClient();

        var (status, body) = await WaitForReadinessAsync(client, s => s != "loading");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("failed", body.GetProperty("status").GetString());
        Assert.Contains("No model repository", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(_emptyModels.Path, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transcribe_ModelsFailedToLoad_Answers503WithTheReason()
    {
        await using var factory = Factory(services => { }, _emptyModels.Path);
        using var client = factory.CreateClient();
        await WaitForReadinessAsync(client, s => s != "loading");

        using var content = TranscriptionUpload.Create([1, 2, 3], RandomModelRepository.ModelId);
        using var response = await client.PostAsync(TranscriptionUpload.Path, content);

        var error = await ResponseAssert.OpenAiErrorAsync(response, HttpStatusCode.ServiceUnavailable, "service_unavailable");
        Assert.Contains("No model repository", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readyz_WhileLoading_Answers503Loading()
    {
        await using var factory = Factory(NeverLoad, _emptyModels.Path);
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("loading", document.RootElement.GetProperty("status").GetString());
        Assert.False(document.RootElement.TryGetProperty("detail", out _));
    }

    [Theory]
    [InlineData("GET", "/v1/models")]
    [InlineData("POST", "/v1/audio/transcriptions")]
    public async Task ModelEndpoints_WhileLoading_Answer503WithRetryAfter(string method, string path)
    {
        await using var factory = Factory(NeverLoad, _emptyModels.Path);
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative))
        {
            Content = method == "POST" ? TranscriptionUpload.Create([1, 2, 3], RandomModelRepository.ModelId) : null,
        };

        using var response = await client.SendAsync(request);

        await ResponseAssert.OpenAiErrorAsync(response, HttpStatusCode.ServiceUnavailable, "service_unavailable");
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Healthz_WhileLoading_AnswersOk()
    {
        await using var factory = Factory(NeverLoad, _emptyModels.Path);
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <inheritdoc/>
    public void Dispose() => _emptyModels.Dispose();

    private static void NeverLoad(IServiceCollection services)
    {
        var loader = services.Single(d => d.ImplementationType == typeof(ModelLoadingService));
        services.Remove(loader);
    }

    private static WebApplicationFactory<Program> Factory(Action<IServiceCollection> configureServices, string modelsPath) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Serving:ModelsPath", modelsPath);
            builder.ConfigureTestServices(configureServices);
        });

    private static async Task<(HttpStatusCode Status, JsonElement Body)> WaitForReadinessAsync(HttpClient client, Func<string, bool> done)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            if (done(body.GetProperty("status").GetString()!) || attempt == 200)
            {
                return (response.StatusCode, body);
            }

            await Task.Delay(50);
        }
    }
}
