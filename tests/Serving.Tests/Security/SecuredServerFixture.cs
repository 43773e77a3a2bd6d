using System.Globalization;
using System.Net.Http.Headers;
using SpeechServe.Runtime.Audio;
using SpeechServe.Runtime.Tests.Audio;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Security;

/// <summary>
/// The real server with everything the security tests need switched on: three API keys, an admin key, a rate
/// limit, request line and header limits below Kestrel's defaults (so that a test can tell they were applied),
/// and logging at Debug everywhere except ASP.NET Core's request log, which writes request URLs (see
/// docs/api.md on the <c>api_key</c> query parameter).
/// </summary>
public sealed class SecuredServerFixture : IAsyncLifetime
{
    /// <summary>The key most tests use.</summary>
    public const string KeyA = "sk-test-alpha-0123456789abcdef";

    /// <summary>A second key, to show every configured key opens /v1.</summary>
    public const string KeyB = "sk-test-bravo-fedcba9876543210";

    /// <summary>A key only the rate limit test spends, so that its bucket starts full.</summary>
    public const string RateKey = "sk-test-rate-limited-5555aaaa";

    /// <summary>The admin key.</summary>
    public const string AdminKey = "admin-test-key-9f8e7d6c5b4a";

    /// <summary>Requests per minute per client.</summary>
    public const int PermitsPerMinute = 100;

    /// <summary>Largest total header size; Kestrel's default is 32 KiB.</summary>
    public const int MaxRequestHeadersTotalBytes = 16 * 1024;

    /// <summary>Most headers; Kestrel's default is 100.</summary>
    public const int MaxRequestHeaderCount = 40;

    /// <summary>Longest request line; Kestrel's default is 8 KiB.</summary>
    public const int MaxRequestLineBytes = 4 * 1024;

    private RandomModelRepository? _repository;
    private ServingProcess? _server;

    internal ServingProcess Server => _server ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>The server's base address.</summary>
    public Uri BaseAddress => Server.BaseAddress;

    /// <summary>Every key and secret the server knows.</summary>
    public static IReadOnlyList<string> Secrets { get; } = [KeyA, KeyB, RateKey, AdminKey];

    /// <summary>Half a second of 16 kHz mono noise as a WAV file.</summary>
    public static byte[] Wav { get; } = MakeWav();

    /// <summary>A client without a key.</summary>
    public HttpClient CreateClient() => Server.CreateClient();

    /// <summary>A client that sends <paramref name="key"/> as a bearer token.</summary>
    public HttpClient CreateClient(string key)
    {
        var client = Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>The stream URL with <paramref name="query"/>.</summary>
    public Uri StreamUri(string query) => new($"ws://{BaseAddress.Authority}/v1/audio/stream?{query}");

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        _repository = RandomModelRepository.Create();
        _server = await ServingProcess.StartAsync(
            new Dictionary<string, string>
            {
                ["Serving__ModelsPath"] = _repository.ModelsPath,
                ["Serving__ApiKeys__0"] = KeyA,
                ["Serving__ApiKeys__1"] = KeyB,
                ["Serving__ApiKeys__2"] = RateKey,
                ["Admin__ApiKey"] = AdminKey,
                ["Serving__RateLimit__PermitsPerMinute"] = PermitsPerMinute.ToString(CultureInfo.InvariantCulture),
                ["Serving__MaxRequestHeadersTotalBytes"] = MaxRequestHeadersTotalBytes.ToString(CultureInfo.InvariantCulture),
                ["Serving__MaxRequestHeaderCount"] = MaxRequestHeaderCount.ToString(CultureInfo.InvariantCulture),
                ["Serving__MaxRequestLineBytes"] = MaxRequestLineBytes.ToString(CultureInfo.InvariantCulture),
                ["Logging__LogLevel__Default"] = "Debug",
                ["Logging__LogLevel__Microsoft.AspNetCore"] = "Debug",
                ["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Warning",
            },
            TimeSpan.FromSeconds(60));
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _repository?.Dispose();
    }

    private static byte[] MakeWav()
    {
        var random = new Random(11);
        var samples = new float[8000];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)((random.NextDouble() * 0.2) - 0.1);
        }

        return new WavBuilder(16_000, 1, SampleEncoding.PcmSigned16).Build(samples);
    }
}

/// <summary>The tests that share the secured server; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class SecuredServerGroup : ICollectionFixture<SecuredServerFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "secured server";
}
