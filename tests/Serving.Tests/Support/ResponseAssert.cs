using System.Net;
using System.Text.Json;

namespace SpeechServe.Serving.Tests.Support;

/// <summary>Status and body checks whose failure messages show the response and the server's output.</summary>
internal static class ResponseAssert
{
    /// <summary>Asserts the status and returns the body.</summary>
    public static async Task<string> StatusAsync(HttpResponseMessage response, HttpStatusCode expected, ServingServerFixture? server = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
        {
            Assert.Fail($"Expected {(int)expected} {expected}, got {(int)response.StatusCode} {response.StatusCode}: {body}"
                + (server is null ? string.Empty : $"\nServer output:\n{server.ServerOutput}"));
        }

        return body;
    }

    /// <summary>Asserts a 200 and returns the body.</summary>
    public static Task<string> OkAsync(HttpResponseMessage response, ServingServerFixture? server = null) =>
        StatusAsync(response, HttpStatusCode.OK, server);

    /// <summary>
    /// Asserts OpenAI's error shape, <c>{"error":{"message","type","param","code"}}</c>, with a non-empty message,
    /// the type that goes with the status (or <paramref name="type"/>), and the expected code; returns the error object.
    /// </summary>
    public static async Task<JsonElement> OpenAiErrorAsync(
        HttpResponseMessage response, HttpStatusCode status, string code, ServingServerFixture? server = null, string? type = null)
    {
        var body = await StatusAsync(response, status, server);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.Equal(["error"], root.EnumerateObject().Select(p => p.Name));
        var error = root.GetProperty("error");
        Assert.Equal(["message", "type", "param", "code"], error.EnumerateObject().Select(p => p.Name));
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()), body);
        Assert.Equal(type ?? ((int)status >= 500 ? "server_error" : "invalid_request_error"), error.GetProperty("type").GetString());
        Assert.Contains(error.GetProperty("param").ValueKind, new[] { JsonValueKind.String, JsonValueKind.Null });
        Assert.Equal(code, error.GetProperty("code").GetString());
        return error.Clone();
    }
}
