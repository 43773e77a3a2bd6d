using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SpeechServe.Serving.Tests;

/// <summary>How many batch workers the server runs, and the start-up check of the thread and batching settings.</summary>
public sealed class ServingOptionsTests
{
    [Theory]
    [InlineData(0, 0, 2, 1)]
    [InlineData(0, 0, 16, 1)]
    [InlineData(1, 0, 2, 2)]
    [InlineData(1, 0, 16, 16)]
    [InlineData(4, 0, 16, 4)]
    [InlineData(3, 0, 2, 1)]
    [InlineData(1, 3, 16, 3)]
    [InlineData(0, 5, 2, 5)]
    public void ResolveBatchWorkers_Settings_WorkersTimesThreadsFillTheCoresUnlessSet(int intraOpThreads, int batchWorkers, int processors, int expected)
    {
        var options = new ServingOptions { IntraOpThreads = intraOpThreads, BatchWorkers = batchWorkers };

        Assert.Equal(expected, options.ResolveBatchWorkers(processors));
    }

    [Fact]
    public void ResolveBatchWorkers_Defaults_OneSingleThreadedWorkerPerCore()
    {
        var options = new ServingOptions();

        Assert.Equal(1, options.IntraOpThreads);
        Assert.Equal(6, options.ResolveBatchWorkers(6));
    }

    [Theory]
    [InlineData("Serving:BatchWorkers", "-1", "Serving:BatchWorkers")]
    [InlineData("Serving:BatchWorkers", "257", "Serving:BatchWorkers")]
    [InlineData("Serving:IntraOpThreads", "-2", "Serving:IntraOpThreads")]
    [InlineData("Serving:MaxBatchSize", "0", "Serving:MaxBatchSize")]
    [InlineData("Serving:MaxQueueLength", "0", "Serving:MaxQueueLength")]
    [InlineData("Serving:MaxBatchWaitMilliseconds", "-5", "Serving:MaxBatchWaitMilliseconds")]
    public void Start_BadSetting_FailsNamingIt(string key, string value, string named)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        using var provider = new ServiceCollection().AddLogging().AddSpeechServing(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_DefaultSettings_Pass()
    {
        var configuration = new ConfigurationBuilder().Build();
        using var provider = new ServiceCollection().AddLogging().AddSpeechServing(configuration).BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
    }
}
