using System.Net;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Metrics;

/// <summary><c>GET /metrics</c> on the real server process, before and after requests of the test's own.</summary>
[Collection(ServingServerDefinition.Name)]
public sealed class MetricsEndpointTests(ServingServerFixture server)
{
    private const string Route = "/v1/audio/transcriptions";
    private const string ModelId = RandomModelRepository.ModelId;

    [Fact]
    public async Task Metrics_WithoutKey_AnswersEveryFamilyWithHelpAndType()
    {
        using var client = server.CreateClient();

        var scrape = await MetricsScrape.GetAsync(client);

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["speechserve_adapter_events_total"] = "counter",
                ["speechserve_adapters_active"] = "gauge",
                ["speechserve_adapters_resident"] = "gauge",
                ["speechserve_adapters_resident_bytes"] = "gauge",
                ["speechserve_audio_seconds_total"] = "counter",
                ["speechserve_batch_queue_depth"] = "gauge",
                ["speechserve_batch_size"] = "histogram",
                ["speechserve_http_request_duration_seconds"] = "histogram",
                ["speechserve_http_requests_total"] = "counter",
                ["speechserve_stream_batch_size"] = "histogram",
                ["speechserve_streams_active"] = "gauge",
                ["speechserve_transcription_processing_seconds_total"] = "counter",
                ["speechserve_transcription_real_time_factor"] = "histogram",
                ["speechserve_transcription_stage_seconds"] = "histogram",
            },
            scrape.Types.OrderBy(t => t.Key, StringComparer.Ordinal).ToDictionary());
        Assert.All(scrape.Help.Values, help => Assert.False(string.IsNullOrWhiteSpace(help)));
        Assert.Equal(0, scrape.Find("speechserve_batch_queue_depth", ("base_model", ModelId)));
        Assert.Equal(RandomModelRepository.AdapterNames.Count, scrape.Find("speechserve_adapters_active", ("base_model", ModelId)));
        Assert.Equal(RandomModelRepository.AdapterNames.Count, scrape.Find("speechserve_adapters_resident", ("base_model", ModelId)));
        Assert.True(scrape.Find("speechserve_adapters_resident_bytes", ("base_model", ModelId)) > 0);
        Assert.Equal(0, scrape.Find("speechserve_streams_active"));
        Assert.True(scrape.Find("speechserve_adapter_events_total", ("base_model", ModelId), ("event", "loaded")) >= RandomModelRepository.AdapterNames.Count);
        scrape.AssertHistogramsConsistent();
    }

    [Fact]
    public async Task Transcribe_ThreeRequests_CountedExactlyWithDurationsRealTimeFactorAudioAndBatches()
    {
        const int Requests = 3;
        const string Model = "medical";
        using var client = server.CreateClient();
        var wav = await server.Speech.WavAsync(16_000);
        var audioSeconds = await server.Speech.DurationAsync();
        var before = await MetricsScrape.GetAsync(client);

        for (var i = 0; i < Requests; i++)
        {
            using var response = await TranscriptionUpload.PostAsync(client, wav, Model, fields: ("response_format", "text"));
            await ResponseAssert.OkAsync(response, server);
        }

        var after = await MetricsScrape.GetAsync(client);
        double Delta(string name, params (string, string)[] labels) => after.Value(name, labels) - before.Value(name, labels);
        (string, string)[] request = [("route", Route), ("method", "POST"), ("model", Model)];
        Assert.Equal(Requests, Delta("speechserve_http_requests_total", [.. request, ("status", "200")]));
        Assert.Equal(Requests, Delta("speechserve_http_request_duration_seconds_count", request));
        Assert.Equal(Requests, Delta("speechserve_transcription_real_time_factor_count", ("model", Model)));
        Assert.True(Delta("speechserve_transcription_real_time_factor_sum", ("model", Model)) > 0);
        Assert.Equal(Requests * audioSeconds, Delta("speechserve_audio_seconds_total", ("model", Model), ("mode", "offline")), 6);
        var processing = Delta("speechserve_transcription_processing_seconds_total", ("model", Model));
        Assert.InRange(processing, double.Epsilon, Delta("speechserve_http_request_duration_seconds_sum", request));

        // Each request is one utterance in some encoder batch, and nothing else ran meanwhile.
        Assert.Equal(Requests, Delta("speechserve_batch_size_sum", ("base_model", ModelId)));
        Assert.InRange(Delta("speechserve_batch_size_count", ("base_model", ModelId)), 1, Requests);
        Assert.Equal(0, after.Find("speechserve_batch_queue_depth", ("base_model", ModelId)));
        after.AssertHistogramsConsistent();
    }

    [Fact]
    public async Task Transcribe_OneClip_EveryStageObservedOnceAndTogetherWithinTheRequestDuration()
    {
        string[] stages = ["form", "audio", "features", "queue", "encoder", "decoding", "response"];
        using var client = server.CreateClient();
        var wav = await server.Speech.WavAsync(16_000);
        var before = await MetricsScrape.GetAsync(client);

        using (var response = await TranscriptionUpload.PostAsync(client, wav, ModelId))
        {
            await ResponseAssert.OkAsync(response, server);
        }

        var after = await MetricsScrape.GetAsync(client);
        double Delta(string name, params (string, string)[] labels) => after.Value(name, labels) - before.Value(name, labels);
        var seconds = stages.ToDictionary(stage => stage, stage => Delta("speechserve_transcription_stage_seconds_sum", ("model", ModelId), ("stage", stage)));
        Assert.All(stages, stage => Assert.Equal(1, Delta("speechserve_transcription_stage_seconds_count", ("model", ModelId), ("stage", stage))));
        Assert.All(stages.Except(["queue"]), stage => Assert.True(seconds[stage] > 0, $"{stage}: {seconds[stage]} s"));
        Assert.True(seconds["queue"] >= 0);
        var request = Delta("speechserve_http_request_duration_seconds_sum", ("route", Route), ("method", "POST"), ("model", ModelId));
        Assert.True(seconds.Values.Sum() <= request, $"stages {seconds.Values.Sum()} s, request {request} s");
        after.AssertHistogramsConsistent();
    }

    [Fact]
    public async Task Metrics_AfterATranscription_EveryHistogramSeriesHasTheDocumentedBuckets()
    {
        using var client = server.CreateClient();
        var wav = await server.Speech.WavAsync(16_000);
        using (var response = await TranscriptionUpload.PostAsync(client, wav, ModelId, fields: ("response_format", "text")))
        {
            await ResponseAssert.OkAsync(response, server);
        }

        var scrape = await MetricsScrape.GetAsync(client);

        // The upper bounds as docs/metrics.md lists them.
        AssertBuckets(scrape, "speechserve_http_request_duration_seconds", "0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300");
        AssertBuckets(scrape, "speechserve_transcription_real_time_factor", "0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 5");
        AssertBuckets(scrape, "speechserve_batch_size", "1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64");
        AssertBuckets(scrape, "speechserve_transcription_stage_seconds", "0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30");
    }

    [Fact]
    public async Task Transcribe_UnknownModel_CountedAsNotFoundWithoutTheClientsModelText()
    {
        var unknown = $"no-such-model-{Guid.NewGuid():N}";
        using var client = server.CreateClient();
        var wav = await server.Speech.WavAsync(16_000);
        var before = await MetricsScrape.GetAsync(client);

        using (var response = await TranscriptionUpload.PostAsync(client, wav, unknown))
        {
            await ResponseAssert.OpenAiErrorAsync(response, HttpStatusCode.NotFound, "model_not_found", server);
        }

        var after = await MetricsScrape.GetAsync(client);
        (string, string)[] labels = [("route", Route), ("method", "POST"), ("status", "404"), ("model", string.Empty)];
        Assert.Equal(1, after.Value("speechserve_http_requests_total", labels) - before.Value("speechserve_http_requests_total", labels));
        Assert.DoesNotContain(unknown, after.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_PathWithoutEndpoint_CountedUnderTheEmptyRouteNotItsPath()
    {
        var path = $"/no-such-page-{Guid.NewGuid():N}";
        using var client = server.CreateClient();
        var before = await MetricsScrape.GetAsync(client);

        using (var response = await client.GetAsync(new Uri(path, UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        var after = await MetricsScrape.GetAsync(client);
        (string, string)[] labels = [("route", string.Empty), ("method", "GET"), ("status", "404"), ("model", string.Empty)];
        Assert.Equal(1, after.Value("speechserve_http_requests_total", labels) - before.Value("speechserve_http_requests_total", labels));
        Assert.DoesNotContain(path, after.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_ScrapedTwice_CountsTheFirstScrapeUnderItsOwnRoute()
    {
        using var client = server.CreateClient();
        (string, string)[] labels = [("route", "/metrics"), ("method", "GET"), ("status", "200"), ("model", string.Empty)];

        var first = await MetricsScrape.GetAsync(client);
        var second = await MetricsScrape.GetAsync(client);

        Assert.Equal(1, second.Value("speechserve_http_requests_total", labels) - first.Value("speechserve_http_requests_total", labels));
    }

    private static void AssertBuckets(MetricsScrape scrape, string histogram, string upperBounds)
    {
        var series = scrape.Samples.Where(s => s.Name == histogram + "_bucket")
            .GroupBy(s => string.Join(",", s.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key, StringComparer.Ordinal)))
            .ToList();
        Assert.NotEmpty(series);
        Assert.All(series, buckets => Assert.Equal(upperBounds + ", +Inf", string.Join(", ", buckets.Select(b => b.Labels["le"]))));
    }
}
