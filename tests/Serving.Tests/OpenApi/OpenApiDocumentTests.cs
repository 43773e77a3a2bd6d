using System.Text.Json;
using SpeechServe.Serving.Tests.Support;
using SpeechServe.Tests.Support;
using YamlDotNet.Serialization;

namespace SpeechServe.Serving.Tests.OpenApi;

/// <summary>
/// openapi.yaml at the repository root against the document the running server generates from its endpoints
/// (<c>/openapi/v1.json</c>): the same operations, ids, request media types and fields (and which are
/// required), response statuses and response media types, security requirements and security schemes.
/// </summary>
[Collection(ServingServerDefinition.Name)]
public sealed class OpenApiDocumentTests(ServingServerFixture server)
{
    private static readonly Lazy<IDictionary<object, object>> Yaml = new(() =>
        new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(
            File.ReadAllText(Path.Combine(TrainingScripts.RepositoryRoot, "openapi.yaml"))));

    [Fact]
    public async Task OpenApiYaml_ComparedWithGeneratedDocument_HasTheSameOperations()
    {
        var generated = await GeneratedAsync();
        var documented = OpenApiOperation.FromYaml(Yaml.Value);

        Assert.Equal(generated.Keys, documented.Keys);
        foreach (var (operation, expected) in generated)
        {
            var actual = documented[operation];
            Assert.True(expected.OperationId == actual.OperationId, $"{operation}: operationId {actual.OperationId}, generated {expected.OperationId}");
            Assert.True(expected.RequestContent == actual.RequestContent,
                $"{operation}: request media types [{actual.RequestContent}], generated [{expected.RequestContent}]");
            Assert.True(expected.RequestFields == actual.RequestFields,
                $"{operation}: request fields [{actual.RequestFields}], generated [{expected.RequestFields}]");
            Assert.True(expected.DescribeResponses() == actual.DescribeResponses(),
                $"{operation}: responses in openapi.yaml\n{actual.DescribeResponses()}\ngenerated\n{expected.DescribeResponses()}");
            Assert.True(expected.Security == actual.Security, $"{operation}: security [{actual.Security}], generated [{expected.Security}]");
        }
    }

    [Fact]
    public async Task GeneratedDocument_DescribesEveryWebSocketUpgrade()
    {
        var generated = await GeneratedAsync();

        foreach (var operation in new[] { "GET /", "GET /v1/audio/stream", "GET /v1/realtime" })
        {
            Assert.True(generated.TryGetValue(operation, out var described), $"{operation} is not in the generated document");
            Assert.Contains("101", described.Responses.Keys);
            Assert.Equal("ApiKey", described.Security);
        }
    }

    [Fact]
    public async Task OpenApiYaml_SecuritySchemes_AreTheGeneratedBearerSchemes()
    {
        using var client = server.CreateClient();
        using var response = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        using var document = JsonDocument.Parse(await ResponseAssert.OkAsync(response, server));
        var generated = document.RootElement.GetProperty("components").GetProperty("securitySchemes").EnumerateObject()
            .ToDictionary(s => s.Name, s => $"{s.Value.GetProperty("type").GetString()} {s.Value.GetProperty("scheme").GetString()}");
        var documented = ((IDictionary<object, object>)((IDictionary<object, object>)Yaml.Value["components"])["securitySchemes"])
            .ToDictionary(s => (string)s.Key, s => $"{((IDictionary<object, object>)s.Value)["type"]} {((IDictionary<object, object>)s.Value)["scheme"]}");

        Assert.Equal(["AdminKey", "ApiKey"], generated.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(generated.OrderBy(s => s.Key, StringComparer.Ordinal), documented.OrderBy(s => s.Key, StringComparer.Ordinal));
        Assert.All(generated.Values, v => Assert.Equal("http bearer", v));
    }

    [Fact]
    public void OpenApiYaml_Version_IsOpenApi31()
    {
        Assert.StartsWith("3.1.", (string)Yaml.Value["openapi"], StringComparison.Ordinal);
    }

    [Fact]
    public void OpenApiYaml_EveryReference_ResolvesToAComponent()
    {
        var components = (IDictionary<object, object>)Yaml.Value["components"];
        var references = new List<string>();
        CollectReferences(Yaml.Value, references);

        Assert.NotEmpty(references);
        Assert.All(references, reference =>
        {
            var parts = reference.Split('/');
            Assert.True(parts.Length == 4 && parts[0] == "#" && parts[1] == "components", reference);
            Assert.True(
                components.TryGetValue(parts[2], out var kind) && ((IDictionary<object, object>)kind).ContainsKey(parts[3]),
                $"{reference} does not resolve");
        });
    }

    private async Task<SortedDictionary<string, OpenApiOperation>> GeneratedAsync()
    {
        using var client = server.CreateClient();
        using var response = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        using var document = JsonDocument.Parse(await ResponseAssert.OkAsync(response, server));
        return OpenApiOperation.FromJson(document.RootElement);
    }

    private static void CollectReferences(object? node, List<string> references)
    {
        switch (node)
        {
            case IDictionary<object, object> map:
                foreach (var (key, value) in map)
                {
                    if ((string)key == "$ref")
                    {
                        references.Add((string)value);
                    }
                    else
                    {
                        CollectReferences(value, references);
                    }
                }

                break;
            case IList<object> list:
                foreach (var item in list)
                {
                    CollectReferences(item, references);
                }

                break;
        }
    }
}
