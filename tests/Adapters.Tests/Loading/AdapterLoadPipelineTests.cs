using Polly.CircuitBreaker;
using Polly.Timeout;
using SpeechServe.Adapters.Loading;
using SpeechServe.Adapters.Packages;

namespace SpeechServe.Adapters.Tests.Loading;

public sealed class AdapterLoadPipelineTests
{
    private static readonly AdapterLoadOptions Fast = new()
    {
        AttemptTimeout = TimeSpan.FromSeconds(10),
        MaxRetries = 2,
        RetryDelay = TimeSpan.FromMilliseconds(1),
        BreakerFailureThreshold = 3,
        BreakDuration = TimeSpan.FromMinutes(1),
    };

    [Fact]
    public void Execute_TransientIoErrors_RetriesUntilItLoads()
    {
        var pipeline = new AdapterLoadPipeline(Fast);
        var attempts = 0;

        var result = pipeline.Execute("medical", 1, _ => ++attempts < 3 ? throw new IOException("disk busy") : "loaded");

        Assert.Equal("loaded", result);
        Assert.Equal(3, attempts);
    }

    [Fact]
    public void Execute_HangingLoad_TimesOut()
    {
        var pipeline = new AdapterLoadPipeline(Fast with { AttemptTimeout = TimeSpan.FromMilliseconds(50), MaxRetries = 0 });

        Assert.Throws<TimeoutRejectedException>(() => pipeline.Execute("medical", 1, token =>
        {
            token.WaitHandle.WaitOne(TimeSpan.FromSeconds(30));
            token.ThrowIfCancellationRequested();
            return "too late";
        }));
    }

    [Fact]
    public void Execute_BadPackage_IsNotRetried()
    {
        var pipeline = new AdapterLoadPipeline(Fast);
        var attempts = 0;

        Assert.Throws<AdapterPackageException>(() => pipeline.Execute<string>("medical", 1, _ =>
        {
            attempts++;
            throw new AdapterPackageException(AdapterPackageRules.Checksum, "damaged");
        }));

        Assert.Equal(1, attempts);
    }

    [Fact]
    public void Execute_PackageThatKeepsFailing_BreakerStopsTryingIt()
    {
        var pipeline = new AdapterLoadPipeline(Fast);
        var attempts = 0;
        string Failing(CancellationToken token)
        {
            attempts++;
            throw new IOException("unreadable");
        }

        Assert.ThrowsAny<Exception>(() => pipeline.Execute("medical", 1, Failing));
        var attemptsBeforeBreak = attempts;
        Assert.Throws<BrokenCircuitException>(() => pipeline.Execute("medical", 1, Failing));

        Assert.Equal(3, attemptsBeforeBreak);
        Assert.Equal(attemptsBeforeBreak, attempts);
        Assert.Equal("other", pipeline.Execute("medical", 2, _ => "other"));
    }
}
