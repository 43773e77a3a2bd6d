using SpeechServe.Serving.Metrics;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Metrics;

public sealed class HistogramFamilyTests
{
    [Fact]
    public void Observe_ValuesOnAndBetweenBounds_CountInTheFirstBucketAtOrAboveThem()
    {
        var histogram = new HistogramFamily("h", "help", [1, 2], "model");

        foreach (var value in new[] { -1, 1, 1.5, 2, 3 })
        {
            histogram.Observe(value, "m");
        }

        var sample = histogram.Sample("m")!;
        Assert.Equal([2L, 4L], sample.CumulativeCounts);
        Assert.Equal(5, sample.Count);
        Assert.Equal(6.5, sample.Sum);
    }

    [Fact]
    public void Observe_NaN_IsIgnored()
    {
        var histogram = new HistogramFamily("h", "help", [1]);

        histogram.Observe(double.NaN);
        histogram.Observe(0.5);

        var sample = histogram.Sample()!;
        Assert.Equal(1, sample.Count);
        Assert.Equal(0.5, sample.Sum);
        Assert.Equal([1L], sample.CumulativeCounts);
    }

    [Fact]
    public async Task Observe_FromManyThreadsWhileScraping_EverySnapshotIsConsistentAndNoneIsLost()
    {
        const int Threads = 4;
        const int PerThread = 20_000;
        var histogram = new HistogramFamily("h", "help", [0.25, 0.5, 1], "model");
        using var done = new CancellationTokenSource();
        var scraper = Task.Run(() =>
        {
            var snapshots = 0;
            while (!done.IsCancellationRequested || snapshots == 0)
            {
                var writer = new PrometheusTextWriter();
                histogram.WriteTo(writer);
                MetricsScrape.Parse(writer.ToString()).AssertHistogramsConsistent();
                snapshots++;
            }

            return snapshots;
        });

        await Task.WhenAll(Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                histogram.Observe(0.5, t % 2 == 0 ? "a" : "b");
            }
        })));
        await done.CancelAsync();
        Assert.True(await scraper > 0);

        foreach (var model in new[] { "a", "b" })
        {
            var sample = histogram.Sample(model)!;
            Assert.Equal(Threads / 2 * PerThread, sample.Count);
            Assert.Equal([0L, sample.Count, sample.Count], sample.CumulativeCounts);
            Assert.Equal(0.5 * sample.Count, sample.Sum);
        }
    }

    [Fact]
    public void WriteTo_SeveralSeries_OrdersThemByLabelValuesAndShowsTouchedOnesEmpty()
    {
        var histogram = new HistogramFamily("h", "help", [1], "model");
        histogram.Observe(0.5, "zeta");
        histogram.Touch("alpha");
        var writer = new PrometheusTextWriter();

        histogram.WriteTo(writer);

        var scrape = MetricsScrape.Parse(writer.ToString());
        Assert.Equal(["alpha", "zeta"], scrape.Samples.Where(s => s.Name == "h_count").Select(s => s.Labels["model"]));
        Assert.Equal(0, scrape.Find("h_count", ("model", "alpha")));
        Assert.Equal(1, scrape.Find("h_bucket", ("model", "zeta"), ("le", "1")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1 1")]
    [InlineData("2 1")]
    [InlineData("1 Infinity")]
    [InlineData("NaN")]
    public void Constructor_BoundsNotFiniteAndStrictlyIncreasing_Throws(string bounds)
    {
        var values = bounds.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(b => double.Parse(b, System.Globalization.CultureInfo.InvariantCulture)).ToList();

        Assert.Throws<ArgumentException>(() => new HistogramFamily("h", "help", values));
    }

    [Fact]
    public void Observe_WrongNumberOfLabelValues_Throws()
    {
        var histogram = new HistogramFamily("h", "help", [1], "model");

        Assert.Throws<ArgumentException>(() => histogram.Observe(1));
        Assert.Throws<ArgumentException>(() => histogram.Observe(1, "a", "b"));
    }
}
