using SpeechServe.Serving.Tests.Support;
using System.Text;

namespace SpeechServe.Serving.Tests.Security;

/// <summary>
/// The credential and request-size attacks tried against the secured server, with the answer each must get.
/// <c>Code</c> is the OpenAI error code on <c>/v1</c>, the problem code on <c>/admin</c>, or null where Kestrel
/// answers before any endpoint runs (431, 414, 400: no body to speak of). docs/reliability.md lists them.
/// </summary>
internal static class SecurityBadInputCases
{
    private static readonly Uri Models = new("/v1/models", UriKind.Relative);

    public static IReadOnlyDictionary<string, SecurityCase> All { get; } = new Dictionary<string, SecurityCase>
    {
        ["no key"] = OpenAi(401, "invalid_api_key", (s, c) => c.GetAsync(Models)),
        ["unknown key"] = OpenAi(401, "invalid_api_key", (s, c) => c.SendAsync(WithAuthorization(HttpMethod.Get, Models, "Bearer sk-not-a-key"))),
        ["admin key on /v1"] = OpenAi(401, "invalid_api_key", (s, c) => c.SendAsync(WithAuthorization(HttpMethod.Get, Models, "Bearer " + SecuredServerFixture.AdminKey))),
        ["key with the Basic scheme"] = OpenAi(401, "invalid_api_key", (s, c) => c.SendAsync(WithAuthorization(
            HttpMethod.Get, Models, "Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes("user:" + SecuredServerFixture.KeyA))))),
        ["key without a scheme"] = OpenAi(401, "invalid_api_key", (s, c) => c.SendAsync(WithAuthorization(HttpMethod.Get, Models, SecuredServerFixture.KeyA))),
        ["Bearer without a key"] = OpenAi(401, "invalid_api_key", (s, c) => c.SendAsync(WithAuthorization(HttpMethod.Get, Models, "Bearer"))),
        ["key with a character more"] = OpenAi(401, "invalid_api_key", (s, c) => c.SendAsync(WithAuthorization(HttpMethod.Get, Models, $"Bearer {SecuredServerFixture.KeyA}x"))),
        ["key missing its last character"] = OpenAi(401, "invalid_api_key", (s, c) => c.SendAsync(WithAuthorization(HttpMethod.Get, Models, $"Bearer {SecuredServerFixture.KeyA[..^1]}"))),
        ["key in the query of a REST endpoint"] = OpenAi(401, "invalid_api_key", (s, c) => c.GetAsync(new Uri($"/v1/models?api_key={SecuredServerFixture.KeyA}", UriKind.Relative))),
        ["transcription without a key"] = OpenAi(401, "invalid_api_key", async (s, c) =>
        {
            using var form = TranscriptionUpload.Create(SecuredServerFixture.Wav, RandomModelRepository.ModelId);
            return await c.PostAsync(TranscriptionUpload.Path, form);
        }),
        ["API key on /admin"] = Problem(401, "admin_unauthorized", (s, c) => c.SendAsync(WithAuthorization(
            HttpMethod.Get, new Uri("/admin/adapters", UriKind.Relative), "Bearer " + SecuredServerFixture.KeyA))),
        ["headers over MaxRequestHeadersTotalBytes"] = Raw(431, s => RawHttp.Get("/healthz", s.BaseAddress, "X-Padding: " + new string('a', 20_000))),
        ["more headers than MaxRequestHeaderCount"] = Raw(431, s => RawHttp.Get("/healthz", s.BaseAddress, [.. Enumerable.Range(0, 50).Select(i => $"X-Header-{i}: {i}")])),
        ["request line over MaxRequestLineBytes"] = Raw(414, s => RawHttp.Get("/v1/models?pad=" + new string('a', 5_000), s.BaseAddress, "Authorization: Bearer " + SecuredServerFixture.KeyA)),
        ["control character before the key"] = Raw(401, s => RawHttp.Get("/v1/models", s.BaseAddress, "Authorization: Bearer \u0001" + SecuredServerFixture.KeyA)),
        ["NUL byte in a header"] = Raw(400, s => RawHttp.Get("/v1/models", s.BaseAddress, "Authorization: Bearer " + SecuredServerFixture.KeyA + "\0")),
        ["non-ASCII bytes in the Authorization header"] = Raw(400, s => [.. RawHttp.Get("/v1/models", s.BaseAddress)[..^2], .. "Authorization: Bearer "u8, 0xFF, 0xFE, .. "\r\n\r\n"u8]),
        ["malformed request line"] = Raw(400, s => Encoding.ASCII.GetBytes("GARBAGE\r\n\r\n")),
        ["WebSocket upgrade without a key"] = Raw(401, s => RawHttp.Get("/v1/audio/stream", s.BaseAddress, Upgrade)),
        ["WebSocket upgrade with a wrong api_key"] = Raw(401, s => RawHttp.Get("/v1/audio/stream?api_key=sk-wrong", s.BaseAddress, Upgrade)),
    };

    private static string[] Upgrade =>
        ["Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="];

    private static SecurityCase OpenAi(int status, string code, Func<SecuredServerFixture, HttpClient, Task<HttpResponseMessage>> send) =>
        new(status, code, SecurityAnswer.OpenAiError, send, null);

    private static SecurityCase Problem(int status, string code, Func<SecuredServerFixture, HttpClient, Task<HttpResponseMessage>> send) =>
        new(status, code, SecurityAnswer.Problem, send, null);

    private static SecurityCase Raw(int status, Func<SecuredServerFixture, byte[]> request) =>
        new(status, null, SecurityAnswer.StatusOnly, null, request);

    private static HttpRequestMessage WithAuthorization(HttpMethod method, Uri uri, string authorization)
    {
        var request = new HttpRequestMessage(method, uri);
        Assert.True(request.Headers.TryAddWithoutValidation("Authorization", authorization));
        return request;
    }
}

/// <summary>How a case's answer is checked.</summary>
internal enum SecurityAnswer
{
    /// <summary>OpenAI's error shape with the code.</summary>
    OpenAiError,

    /// <summary>problem+json with the code.</summary>
    Problem,

    /// <summary>The status only: Kestrel answers before any endpoint runs.</summary>
    StatusOnly,
}

/// <summary>One attack: the status and code it must get, and how to send it (through HttpClient or as raw bytes).</summary>
internal sealed record SecurityCase(
    int Status,
    string? Code,
    SecurityAnswer Answer,
    Func<SecuredServerFixture, HttpClient, Task<HttpResponseMessage>>? Send,
    Func<SecuredServerFixture, byte[]>? Raw);
