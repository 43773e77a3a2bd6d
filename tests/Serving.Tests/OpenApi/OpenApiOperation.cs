using System.Text.Json;

namespace SpeechServe.Serving.Tests.OpenApi;

/// <summary>
/// What two OpenAPI documents must agree on for one operation: its id, request media types and, per response
/// status, the response media types; the fields of the request body (required ones marked <c>*</c>); and the
/// security schemes it requires. Read from the generated JSON or from openapi.yaml (as YamlDotNet's
/// generic dictionaries and lists).
/// </summary>
internal sealed record OpenApiOperation(
    string OperationId, string RequestContent, string RequestFields, IReadOnlyDictionary<string, string> Responses, string Security)
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    /// <summary>Operations by <c>METHOD /path</c>.</summary>
    public static SortedDictionary<string, OpenApiOperation> FromJson(JsonElement document)
    {
        var operations = new SortedDictionary<string, OpenApiOperation>(StringComparer.Ordinal);
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var method in path.Value.EnumerateObject().Where(m => Methods.Contains(m.Name)))
            {
                var operation = method.Value;
                var hasBody = operation.TryGetProperty("requestBody", out var body);
                var responses = operation.GetProperty("responses").EnumerateObject()
                    .ToDictionary(r => r.Name, r => Keys(r.Value, "content"));
                operations[$"{method.Name.ToUpperInvariant()} {path.Name}"] = new OpenApiOperation(
                    operation.TryGetProperty("operationId", out var id) ? id.GetString() ?? string.Empty : string.Empty,
                    hasBody ? Keys(body, "content") : string.Empty,
                    hasBody ? Fields(document, body) : string.Empty,
                    responses,
                    operation.TryGetProperty("security", out var security)
                        ? string.Join(", ", security.EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name)).Order(StringComparer.Ordinal))
                        : string.Empty);
            }
        }

        return operations;
    }

    /// <summary>Operations by <c>METHOD /path</c>.</summary>
    public static SortedDictionary<string, OpenApiOperation> FromYaml(IDictionary<object, object> document)
    {
        var operations = new SortedDictionary<string, OpenApiOperation>(StringComparer.Ordinal);
        foreach (var (path, item) in Map(document["paths"]))
        {
            foreach (var (method, value) in Map(item).Where(m => Methods.Contains((string)m.Key)))
            {
                var operation = Map(value);
                var hasBody = operation.TryGetValue("requestBody", out var body);
                var responses = Map(operation["responses"]).ToDictionary(r => (string)r.Key, r => Keys(Map(r.Value), "content"));
                operations[$"{((string)method).ToUpperInvariant()} {path}"] = new OpenApiOperation(
                    operation.TryGetValue("operationId", out var id) ? (string)id : string.Empty,
                    hasBody ? Keys(Map(body!), "content") : string.Empty,
                    hasBody ? Fields(document, Map(body!)) : string.Empty,
                    responses,
                    operation.TryGetValue("security", out var security)
                        ? string.Join(", ", ((IList<object>)security).SelectMany(r => Map(r).Keys.Cast<string>()).Order(StringComparer.Ordinal))
                        : string.Empty);
            }
        }

        return operations;
    }

    /// <summary>Status codes and their media types, one per line, for readable comparison.</summary>
    public string DescribeResponses() =>
        string.Join('\n', Responses.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}: {r.Value}"));

    // The fields of the first media type's schema, following one $ref into components (a nullable body's
    // oneOf [null, $ref] counts as the $ref); a body without properties (a binary upload) is its type.
    private static string Fields(JsonElement document, JsonElement body)
    {
        var schema = body.GetProperty("content").EnumerateObject().First().Value.GetProperty("schema");
        if (schema.TryGetProperty("oneOf", out var choices))
        {
            schema = choices.EnumerateArray().First(c => c.TryGetProperty("$ref", out _));
        }

        if (schema.TryGetProperty("$ref", out var reference))
        {
            schema = document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
        }

        if (!schema.TryGetProperty("properties", out var properties))
        {
            return $"({schema.GetProperty("type").GetString()})";
        }

        var required = schema.TryGetProperty("required", out var names) ? names.EnumerateArray().Select(n => n.GetString()).ToHashSet() : [];
        return DescribeFields(properties.EnumerateObject().Select(p => p.Name), required!);
    }

    private static string Fields(IDictionary<object, object> document, IDictionary<object, object> body)
    {
        var schema = Map(Map(Map(body["content"]).Values.First())["schema"]);
        if (schema.TryGetValue("$ref", out var reference))
        {
            schema = Map(Map(Map(document["components"])["schemas"])[((string)reference).Split('/')[^1]]);
        }

        if (!schema.TryGetValue("properties", out var properties))
        {
            return $"({schema["type"]})";
        }

        var required = schema.TryGetValue("required", out var names) ? ((IList<object>)names).Cast<string>().ToHashSet() : [];
        return DescribeFields(Map(properties).Keys.Cast<string>(), required);
    }

    private static string DescribeFields(IEnumerable<string> properties, HashSet<string> required) =>
        string.Join(", ", properties.Order(StringComparer.Ordinal).Select(p => required.Contains(p) ? p + "*" : p));

    private static IDictionary<object, object> Map(object value) => (IDictionary<object, object>)value;

    private static string Keys(JsonElement element, string property) =>
        element.TryGetProperty(property, out var child) ? string.Join(", ", child.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)) : string.Empty;

    private static string Keys(IDictionary<object, object> map, string property) =>
        map.TryGetValue(property, out var child) ? string.Join(", ", Map(child).Keys.Cast<string>().Order(StringComparer.Ordinal)) : string.Empty;
}
