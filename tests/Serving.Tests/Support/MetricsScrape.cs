using System.Globalization;
using System.Net;
using System.Text;

namespace SpeechServe.Serving.Tests.Support;

/// <summary>One sample line of a scrape.</summary>
internal sealed record MetricLine(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// A strict reader of Prometheus' text format 0.0.4 for the tests: it fails on a line it cannot parse, on a
/// sample whose family has no <c># TYPE</c> line before it, and on a family declared twice; then it answers
/// lookups by metric name and exact label set.
/// </summary>
internal sealed class MetricsScrape
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly Dictionary<string, string> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _help = new(StringComparer.Ordinal);
    private readonly List<MetricLine> _samples = [];

    private MetricsScrape(string text)
    {
        Text = text;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                ReadComment(line);
                continue;
            }

            var sample = ReadSample(line);
            Assert.True(_types.ContainsKey(Family(sample.Name)), $"sample before its # TYPE line: {line}");
            _samples.Add(sample);
        }
    }

    /// <summary>The text as served.</summary>
    public string Text { get; }

    /// <summary>Family name to type (counter, gauge, histogram).</summary>
    public IReadOnlyDictionary<string, string> Types => _types;

    /// <summary>Family name to help text, unescaped.</summary>
    public IReadOnlyDictionary<string, string> Help => _help;

    /// <summary>Every sample, in order.</summary>
    public IReadOnlyList<MetricLine> Samples => _samples;

    /// <summary>Scrapes <c>/metrics</c>, asserting a 200 and the exposition content type.</summary>
    public static async Task<MetricsScrape> GetAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/metrics answered {(int)response.StatusCode}: {body}");
        Assert.Equal(ContentType, response.Content.Headers.ContentType?.ToString());
        return Parse(body);
    }

    public static MetricsScrape Parse(string text) => new(text);

    /// <summary>The value of the sample named <paramref name="name"/> with exactly <paramref name="labels"/>, or null.</summary>
    public double? Find(string name, params (string Name, string Value)[] labels) =>
        _samples.SingleOrDefault(s => s.Name == name && SameLabels(s.Labels, labels))?.Value;

    /// <summary>Like <see cref="Find"/>, with 0 for a series that does not exist yet.</summary>
    public double Value(string name, params (string Name, string Value)[] labels) => Find(name, labels) ?? 0;

    /// <summary>
    /// Checks every histogram series: its buckets ascend in <c>le</c>, end with <c>+Inf</c>, never decrease,
    /// and the <c>+Inf</c> bucket equals <c>_count</c>; <c>_sum</c> is there.
    /// </summary>
    public void AssertHistogramsConsistent()
    {
        foreach (var family in _types.Where(t => t.Value == "histogram").Select(t => t.Key))
        {
            var buckets = _samples.Where(s => s.Name == family + "_bucket").GroupBy(s => Key(s.Labels.Where(l => l.Key != "le")));
            foreach (var series in buckets)
            {
                var bounds = series.Select(s => Bound(s.Labels["le"])).ToList();
                Assert.True(bounds.SequenceEqual(bounds.Order()) && bounds.Distinct().Count() == bounds.Count, $"{family}{{{series.Key}}}: le not ascending");
                Assert.Equal(double.PositiveInfinity, bounds[^1]);
                var counts = series.Select(s => s.Value).ToList();
                Assert.True(counts.SequenceEqual(counts.Order()), $"{family}{{{series.Key}}}: buckets decrease: {string.Join(", ", counts)}");
                var count = _samples.Single(s => s.Name == family + "_count" && Key(s.Labels) == series.Key);
                Assert.True(count.Value == counts[^1], $"{family}{{{series.Key}}}: _count {count.Value}, +Inf bucket {counts[^1]}");
                Assert.Single(_samples, s => s.Name == family + "_sum" && Key(s.Labels) == series.Key);
            }
        }
    }

    private void ReadComment(string line)
    {
        var parts = line.Split(' ', 4);
        if (parts[1] == "TYPE")
        {
            Assert.True(parts.Length == 4 && parts[3] is "counter" or "gauge" or "histogram" or "summary" or "untyped", $"bad TYPE line: {line}");
            Assert.True(_types.TryAdd(parts[2], parts[3]), $"family declared twice: {line}");
            Assert.True(_help.ContainsKey(parts[2]), $"TYPE without HELP before it: {line}");
        }
        else if (parts[1] == "HELP")
        {
            Assert.True(parts.Length == 4, $"bad HELP line: {line}");
            Assert.True(_help.TryAdd(parts[2], parts[3].Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal)), $"HELP twice: {line}");
        }
    }

    private static MetricLine ReadSample(string line)
    {
        var nameEnd = line.IndexOfAny(['{', ' ']);
        Assert.True(nameEnd > 0, $"bad sample line: {line}");
        var name = line[..nameEnd];
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var position = nameEnd;
        if (line[position] == '{')
        {
            position++;
            while (line[position] != '}')
            {
                var equals = line.IndexOf('=', position);
                var label = line[position..equals];
                Assert.True(line[equals + 1] == '"', $"unquoted label value: {line}");
                var value = new StringBuilder();
                position = equals + 2;
                while (line[position] != '"')
                {
                    if (line[position] == '\\')
                    {
                        position++;
                        value.Append(line[position] switch
                        {
                            'n' => '\n',
                            '\\' => '\\',
                            '"' => '"',
                            _ => throw new FormatException($"bad escape in {line}"),
                        });
                    }
                    else
                    {
                        value.Append(line[position]);
                    }

                    position++;
                }

                Assert.True(labels.TryAdd(label, value.ToString()), $"label twice: {line}");
                position++;
                if (line[position] == ',')
                {
                    position++;
                }
            }

            position++;
        }

        Assert.True(line[position] == ' ', $"no space before the value: {line}");
        var fields = line[(position + 1)..].Split(' ');
        Assert.True(fields.Length is 1 or 2, $"bad value: {line}");
        return new MetricLine(name, labels, Bound(fields[0]));
    }

    private string Family(string sampleName)
    {
        foreach (var suffix in (string[])["_bucket", "_sum", "_count"])
        {
            if (sampleName.EndsWith(suffix, StringComparison.Ordinal) && _types.GetValueOrDefault(sampleName[..^suffix.Length]) == "histogram")
            {
                return sampleName[..^suffix.Length];
            }
        }

        return sampleName;
    }

    private static double Bound(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static bool SameLabels(IReadOnlyDictionary<string, string> actual, (string Name, string Value)[] expected) =>
        actual.Count == expected.Length && expected.All(l => actual.TryGetValue(l.Name, out var value) && value == l.Value);

    private static string Key(IEnumerable<KeyValuePair<string, string>> labels) =>
        string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
}
