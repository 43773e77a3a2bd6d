using System.Text;
using SpeechServe.Adapters.Registry;
using SpeechServe.Serving.Metrics;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Metrics;

public sealed class ServingMetricsTests
{
    private const string Route = "/v1/audio/transcriptions";

    [Fact]
    public async Task RecordRequest_StandardAndUnknownMethods_UnknownOnesShareOneLabel()
    {
        var metrics = new ServingMetrics();

        metrics.RecordRequest(Route, "POST", 200, "medical", TimeSpan.FromMilliseconds(30));
        metrics.RecordRequest(Route, "BREW", 405, string.Empty, TimeSpan.FromMilliseconds(1));
        metrics.RecordRequest(Route, "post", 405, string.Empty, TimeSpan.FromMilliseconds(1));

        var scrape = await ScrapeAsync(metrics);
        Assert.Equal(1, scrape.Find("speechserve_http_requests_total", ("route", Route), ("method", "POST"), ("status", "200"), ("model", "medical")));
        Assert.Equal(2, scrape.Find("speechserve_http_requests_total", ("route", Route), ("method", "_OTHER"), ("status", "405"), ("model", "")));
        Assert.DoesNotContain("BREW", scrape.Text, StringComparison.Ordinal);
        Assert.Equal(1, scrape.Find("speechserve_http_request_duration_seconds_bucket", ("route", Route), ("method", "POST"), ("model", "medical"), ("le", "0.05")));
        Assert.Equal(0, scrape.Find("speechserve_http_request_duration_seconds_bucket", ("route", Route), ("method", "POST"), ("model", "medical"), ("le", "0.025")));
        scrape.AssertHistogramsConsistent();
    }

    [Fact]
    public async Task RecordTranscription_TwoSecondsOfAudioInHalfASecond_ObservesRealTimeFactorAQuarter()
    {
        var metrics = new ServingMetrics();

        metrics.RecordTranscription("medical", 2.0, TimeSpan.FromSeconds(0.5));
        metrics.RecordTranscription("medical", 0, TimeSpan.FromSeconds(0.5));

        var scrape = await ScrapeAsync(metrics);
        Assert.Equal(1, scrape.Find("speechserve_transcription_real_time_factor_count", ("model", "medical")));
        Assert.Equal(0.25, scrape.Find("speechserve_transcription_real_time_factor_sum", ("model", "medical")));
        Assert.Equal(0, scrape.Find("speechserve_transcription_real_time_factor_bucket", ("model", "medical"), ("le", "0.2")));
        Assert.Equal(1, scrape.Find("speechserve_transcription_real_time_factor_bucket", ("model", "medical"), ("le", "0.3")));
        Assert.Equal(2.0, scrape.Find("speechserve_audio_seconds_total", ("model", "medical"), ("mode", "offline")));
        Assert.Equal(0.5, scrape.Find("speechserve_transcription_processing_seconds_total", ("model", "medical")));
    }

    [Fact]
    public async Task AddBaseModel_BeforeAnyEvent_ExposesEveryEventAndTheBatchHistogramAtZero()
    {
        var metrics = new ServingMetrics();

        metrics.AddBaseModel("speechfm");
        metrics.RecordAdapterEvent(new AdapterLifecycleEvent(AdapterLifecycleStage.Activated, "speechfm", "medical", 2));
        metrics.RecordAdapterEvent(new AdapterLifecycleEvent(AdapterLifecycleStage.LoadFailed, "speechfm", "medical", 3, "bad"));

        var scrape = await ScrapeAsync(metrics);
        var events = scrape.Samples.Where(s => s.Name == "speechserve_adapter_events_total").ToDictionary(s => s.Labels["event"], s => s.Value);
        Assert.Equal(
            new Dictionary<string, double>
            {
                ["activated"] = 1, ["deleted"] = 0, ["evicted"] = 0, ["load_failed"] = 1, ["loaded"] = 0, ["rejected"] = 0, ["released"] = 0, ["stored"] = 0,
            },
            events);
        Assert.Equal(0, scrape.Find("speechserve_batch_size_count", ("base_model", "speechfm")));
    }

    [Fact]
    public async Task RecordBatch_Sizes_LandInTheirBuckets()
    {
        var metrics = new ServingMetrics();

        metrics.RecordBatch("speechfm", 1);
        metrics.RecordBatch("speechfm", 5);
        metrics.RecordBatch("speechfm", 8);

        var scrape = await ScrapeAsync(metrics);
        Assert.Equal(1, scrape.Find("speechserve_batch_size_bucket", ("base_model", "speechfm"), ("le", "4")));
        Assert.Equal(2, scrape.Find("speechserve_batch_size_bucket", ("base_model", "speechfm"), ("le", "6")));
        Assert.Equal(3, scrape.Find("speechserve_batch_size_bucket", ("base_model", "speechfm"), ("le", "8")));
        Assert.Equal(14, scrape.Find("speechserve_batch_size_sum", ("base_model", "speechfm")));
    }

    private static async Task<MetricsScrape> ScrapeAsync(ServingMetrics metrics)
    {
        using var text = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(text);
        return MetricsScrape.Parse(Encoding.UTF8.GetString(text.ToArray()));
    }
}
