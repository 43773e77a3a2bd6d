using SpeechServe.Serving.Metrics;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Metrics;

public sealed class CounterFamilyTests
{
    [Fact]
    public async Task Add_FromManyThreads_LosesNothing()
    {
        var counter = new CounterFamily("c_total", "help", "model");

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 25_000; i++)
            {
                counter.Add(0.5, "m");
                counter.Increment("n");
            }
        })));

        Assert.Equal(50_000, counter.Value("m"));
        Assert.Equal(100_000, counter.Value("n"));
    }

    [Fact]
    public void Increment_CallerChangesItsArrayAfterwards_SeriesKeepsItsLabels()
    {
        var counter = new CounterFamily("c_total", "help", "model");
        string[] labels = ["first"];

        counter.Increment(labels);
        labels[0] = "second";
        counter.Increment(labels);

        Assert.Equal(1, counter.Value("first"));
        Assert.Equal(1, counter.Value("second"));
    }

    [Fact]
    public void WriteTo_TouchedAndCountedSeries_AreOrderedWithZeroForTouched()
    {
        var counter = new CounterFamily("c_total", "help", "model", "event");
        counter.Increment("b", "x");
        counter.Touch("a", "y");
        counter.Add(2, "a", "x");
        var writer = new PrometheusTextWriter();

        counter.WriteTo(writer);

        var scrape = MetricsScrape.Parse(writer.ToString());
        Assert.Equal("counter", scrape.Types["c_total"]);
        Assert.Equal(["a/x=2", "a/y=0", "b/x=1"], scrape.Samples.Select(s => $"{s.Labels["model"]}/{s.Labels["event"]}={s.Value}"));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    public void Add_NegativeOrNaN_Throws(double amount)
    {
        var counter = new CounterFamily("c_total", "help");

        Assert.Throws<ArgumentOutOfRangeException>(() => counter.Add(amount));
    }

    [Fact]
    public void Increment_WrongNumberOfLabelValues_Throws()
    {
        var counter = new CounterFamily("c_total", "help", "model");

        Assert.Throws<ArgumentException>(() => counter.Increment());
    }
}
