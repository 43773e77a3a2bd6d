using System.Text.Json;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Models;

/// <summary><c>GET /v1/models</c> on the real server: the base model and each adapter, in OpenAI's list shape.</summary>
[Collection(ServingServerDefinition.Name)]
public sealed class ModelsEndpointsTests(ServingServerFixture server)
{
    [Fact]
    public async Task ListModels_Loaded_ListsBaseModelThenAdaptersWithParentAndVersion()
    {
        using var client = server.CreateClient();

        using var response = await client.GetAsync(new Uri("/v1/models", UriKind.Relative));

        using var document = JsonDocument.Parse(await ResponseAssert.OkAsync(response, server));
        var root = document.RootElement;
        Assert.Equal("list", root.GetProperty("object").GetString());
        var data = root.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(
            [RandomModelRepository.ModelId, .. RandomModelRepository.AdapterNames],
            data.Select(m => m.GetProperty("id").GetString()));
        Assert.All(data, m =>
        {
            Assert.Equal("model", m.GetProperty("object").GetString());
            Assert.True(m.GetProperty("created").GetInt64() > 1_600_000_000);
            Assert.Equal("speechserve", m.GetProperty("owned_by").GetString());
            Assert.Equal("transcribe", m.GetProperty("task").GetString());
            Assert.Equal("cpu", m.GetProperty("execution_provider").GetString());
        });
        Assert.False(data[0].TryGetProperty("parent", out _));
        Assert.All(data.Skip(1), m =>
        {
            Assert.Equal(RandomModelRepository.ModelId, m.GetProperty("parent").GetString());
            Assert.Equal(1, m.GetProperty("version").GetInt32());
        });
    }
}
