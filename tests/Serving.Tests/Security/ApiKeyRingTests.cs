using Microsoft.Extensions.Options;
using SpeechServe.Serving.Security;

namespace SpeechServe.Serving.Tests.Security;

public sealed class ApiKeyRingTests
{
    [Fact]
    public void Identify_EachConfiguredKey_ItsPosition()
    {
        var ring = Ring("first-key", "second-key");

        Assert.True(ring.IsEnabled);
        Assert.Equal(0, ring.Identify("first-key"));
        Assert.Equal(1, ring.Identify("second-key"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("first-ke")]
    [InlineData("first-key ")]
    [InlineData("FIRST-KEY")]
    [InlineData("second-keyfirst-key")]
    public void Identify_AnythingElse_MinusOne(string? presented)
    {
        Assert.Equal(-1, Ring("first-key", "second-key").Identify(presented));
    }

    [Fact]
    public void Identify_NoKeysConfigured_DisabledAndMatchesNothing()
    {
        var ring = Ring();

        Assert.False(ring.IsEnabled);
        Assert.Equal(-1, ring.Identify("anything"));
    }

    private static ApiKeyRing Ring(params string[] keys)
    {
        var options = new ApiAccessOptions();
        foreach (var key in keys)
        {
            options.ApiKeys.Add(key);
        }

        return new ApiKeyRing(Options.Create(options));
    }
}
