using SpeechServe.Serving.Security;

namespace SpeechServe.Serving.Tests.Security;

public sealed class ApiRateLimitingTests
{
    [Theory]
    [InlineData(600, 10, 1)]
    [InlineData(100, 5, 3)]
    [InlineData(90, 3, 2)]
    [InlineData(60, 1, 1)]
    [InlineData(7, 7, 60)]
    [InlineData(1, 1, 60)]
    [InlineData(6000, 100, 1)]
    public void BucketFor_PermitsPerMinute_RefillsExactlyThatRate(int permits, int tokensPerPeriod, int periodSeconds)
    {
        var bucket = ApiRateLimiting.BucketFor(permits);

        Assert.Equal(permits, bucket.TokenLimit);
        Assert.Equal(tokensPerPeriod, bucket.TokensPerPeriod);
        Assert.Equal(TimeSpan.FromSeconds(periodSeconds), bucket.ReplenishmentPeriod);
        Assert.Equal(permits, bucket.TokensPerPeriod * 60 / periodSeconds);
        Assert.Equal(0, bucket.QueueLimit);
    }
}
