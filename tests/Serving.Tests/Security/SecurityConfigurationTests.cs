using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SpeechServe.Serving.Security;

namespace SpeechServe.Serving.Tests.Security;

/// <summary>The security settings' defaults and their validation at start-up (no models needed).</summary>
public sealed class SecurityConfigurationTests
{
    [Fact]
    public void Defaults_NoKeysNoRateLimit_KestrelDefaultsExplicit()
    {
        using var factory = Factory([]);

        var access = factory.Services.GetRequiredService<IOptions<ApiAccessOptions>>().Value;
        var kestrel = factory.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;

        Assert.Empty(access.ApiKeys);
        Assert.Equal(0, access.RateLimit.PermitsPerMinute);
        Assert.False(factory.Services.GetRequiredService<ApiKeyRing>().IsEnabled);
        Assert.Equal(32 * 1024, kestrel.MaxRequestHeadersTotalSize);
        Assert.Equal(100, kestrel.MaxRequestHeaderCount);
        Assert.Equal(8 * 1024, kestrel.MaxRequestLineSize);
        Assert.Equal(TimeSpan.FromSeconds(30), kestrel.RequestHeadersTimeout);
    }

    [Fact]
    public void Configured_KeysAndLimits_Bound()
    {
        using var factory = Factory(new()
        {
            ["Serving:ApiKeys:0"] = "one",
            ["Serving:ApiKeys:1"] = "two",
            ["Serving:RateLimit:PermitsPerMinute"] = "120",
            ["Serving:MaxRequestHeadersTotalBytes"] = "10000",
            ["Serving:MaxRequestHeaderCount"] = "20",
            ["Serving:MaxRequestLineBytes"] = "2000",
            ["Serving:RequestHeadersTimeoutSeconds"] = "5",
        });

        var access = factory.Services.GetRequiredService<IOptions<ApiAccessOptions>>().Value;
        var kestrel = factory.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;

        Assert.Equal(["one", "two"], access.ApiKeys);
        Assert.Equal(120, access.RateLimit.PermitsPerMinute);
        Assert.Equal(1, factory.Services.GetRequiredService<ApiKeyRing>().Identify("two"));
        Assert.Equal(10000, kestrel.MaxRequestHeadersTotalSize);
        Assert.Equal(20, kestrel.MaxRequestHeaderCount);
        Assert.Equal(2000, kestrel.MaxRequestLineSize);
        Assert.Equal(TimeSpan.FromSeconds(5), kestrel.RequestHeadersTimeout);
    }

    [Theory]
    [InlineData("Serving:ApiKeys:0", " ", "Serving:ApiKeys")]
    [InlineData("Serving:ApiKeys:0", " padded-key", "Serving:ApiKeys")]
    [InlineData("Serving:RateLimit:PermitsPerMinute", "-1", "PermitsPerMinute")]
    [InlineData("Serving:MaxRequestHeaderCount", "0", "MaxRequestHeaderCount")]
    public void Start_BadSetting_FailsNamingIt(string key, string value, string named)
    {
        // The host runs this same validator at start. Starting a host through WebApplicationFactory only to see it
        // fail races with the factory's own shutdown and sometimes reports ObjectDisposedException instead.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        using var provider = new ServiceCollection().AddLogging().AddApiSecurity(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    private static WebApplicationFactory<Program> Factory(Dictionary<string, string?> settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Serving:ModelsPath", Path.Combine(Path.GetTempPath(), "speechserve-no-models-" + Guid.NewGuid().ToString("N")));
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });
}
