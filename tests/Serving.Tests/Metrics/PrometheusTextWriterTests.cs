using SpeechServe.Serving.Metrics;

namespace SpeechServe.Serving.Tests.Metrics;

public sealed class PrometheusTextWriterTests
{
    [Fact]
    public void WriteCounter_TwoSeries_WritesHelpTypeAndOneLinePerSampleInGivenOrder()
    {
        var writer = new PrometheusTextWriter();

        writer.WriteCounter("speechserve_requests_total", "Requests answered.", ["route", "status"], [new(["/v1/models", "200"], 3), new(["/healthz", "503"], 1)]);

        Assert.Equal(
            Lines(
                "# HELP speechserve_requests_total Requests answered.",
                "# TYPE speechserve_requests_total counter",
                "speechserve_requests_total{route=\"/v1/models\",status=\"200\"} 3",
                "speechserve_requests_total{route=\"/healthz\",status=\"503\"} 1"),
            writer.ToString());
    }

    [Fact]
    public void WriteGauge_WithoutLabels_WritesBareNameAndShortestNumber()
    {
        var writer = new PrometheusTextWriter();

        writer.WriteGauge("speechserve_streams_active", "Open streams.", [], [new([], 2)]);
        writer.WriteGauge("speechserve_fraction", "A fraction.", ["model"], [new(["m"], 0.1), new(["n"], 1e-7)]);

        Assert.Equal(
            Lines(
                "# HELP speechserve_streams_active Open streams.",
                "# TYPE speechserve_streams_active gauge",
                "speechserve_streams_active 2",
                "# HELP speechserve_fraction A fraction.",
                "# TYPE speechserve_fraction gauge",
                "speechserve_fraction{model=\"m\"} 0.1",
                "speechserve_fraction{model=\"n\"} 1E-07"),
            writer.ToString());
    }

    [Fact]
    public void WriteHistogram_OneSeries_WritesCumulativeBucketsInfEqualToCountSumAndCount()
    {
        var writer = new PrometheusTextWriter();

        writer.WriteHistogram("speechserve_rtf", "Real-time factor.", ["model"], [0.1, 1], [new(["medical"], [1, 2], 1.25, 3)]);

        Assert.Equal(
            Lines(
                "# HELP speechserve_rtf Real-time factor.",
                "# TYPE speechserve_rtf histogram",
                "speechserve_rtf_bucket{model=\"medical\",le=\"0.1\"} 1",
                "speechserve_rtf_bucket{model=\"medical\",le=\"1\"} 2",
                "speechserve_rtf_bucket{model=\"medical\",le=\"+Inf\"} 3",
                "speechserve_rtf_sum{model=\"medical\"} 1.25",
                "speechserve_rtf_count{model=\"medical\"} 3"),
            writer.ToString());
    }

    [Fact]
    public void WriteHistogram_WithoutLabels_PutsOnlyLeInBraces()
    {
        var writer = new PrometheusTextWriter();

        writer.WriteHistogram("batch", "Sizes.", [], [2.5], [new([], [0], 0, 0)]);

        Assert.Equal(
            Lines(
                "# HELP batch Sizes.",
                "# TYPE batch histogram",
                "batch_bucket{le=\"2.5\"} 0",
                "batch_bucket{le=\"+Inf\"} 0",
                "batch_sum 0",
                "batch_count 0"),
            writer.ToString());
    }

    [Fact]
    public void WriteCounter_NoSamples_WritesOnlyTheHeader()
    {
        var writer = new PrometheusTextWriter();

        writer.WriteCounter("empty_total", "Nothing yet.", ["model"], []);

        Assert.Equal(Lines("# HELP empty_total Nothing yet.", "# TYPE empty_total counter"), writer.ToString());
    }

    [Fact]
    public void Write_LabelValueAndHelpWithSpecialCharacters_AreEscaped()
    {
        var writer = new PrometheusTextWriter();

        writer.WriteGauge("g", "Back\\slash, \"quote\"\nsecond line.", ["path"], [new(["C:\\dir \"x\"\ny"], 1)]);

        Assert.Equal(
            Lines(
                "# HELP g Back\\\\slash, \"quote\"\\nsecond line.",
                "# TYPE g gauge",
                "g{path=\"C:\\\\dir \\\"x\\\"\\ny\"} 1"),
            writer.ToString());
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a\\b", "a\\\\b")]
    [InlineData("say \"hi\"", "say \\\"hi\\\"")]
    [InlineData("one\ntwo", "one\\ntwo")]
    [InlineData("\\\"\n", "\\\\\\\"\\n")]
    public void EscapeLabelValue_SpecialCharacters_AreBackslashEscaped(string value, string escaped)
    {
        Assert.Equal(escaped, PrometheusTextWriter.EscapeLabelValue(value));
    }

    [Theory]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(42.0, "42")]
    [InlineData(-0.5, "-0.5")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    public void FormatNumber_Values_UseTheFormatsSpelling(double value, string text)
    {
        Assert.Equal(text, PrometheusTextWriter.FormatNumber(value));
    }

    [Theory]
    [InlineData("9starts_with_digit", "model")]
    [InlineData("has-dash", "model")]
    [InlineData("", "model")]
    [InlineData("fine", "le")]
    [InlineData("fine", "__reserved")]
    [InlineData("fine", "has:colon")]
    public void Write_InvalidMetricOrLabelName_Throws(string name, string label)
    {
        var writer = new PrometheusTextWriter();

        Assert.Throws<ArgumentException>(() => writer.WriteGauge(name, "help", [label], []));
    }

    [Fact]
    public void Write_LabelValueCountDiffersFromNames_Throws()
    {
        var writer = new PrometheusTextWriter();

        Assert.Throws<ArgumentException>(() => writer.WriteCounter("c_total", "help", ["a", "b"], [new(["only one"], 1)]));
        Assert.Throws<ArgumentException>(() => writer.WriteHistogram("h", "help", [], [1, 2], [new([], [1], 1, 1)]));
    }

    private static string Lines(params string[] lines) => string.Concat(lines.Select(l => l + "\n"));
}
