using System.Globalization;
using System.Text;

namespace SpeechServe.Bench.Load.Profile;

/// <summary>
/// The samples of one <c>/metrics</c> scrape (Prometheus text format 0.0.4), read just far enough to look up a series:
/// comments are skipped, label values unescaped.
/// </summary>
internal sealed class MetricsSnapshot
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];

    private MetricsSnapshot(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.Length > 0 && line[0] != '#')
            {
                _samples.Add(ReadSample(line));
            }
        }
    }

    /// <summary>Scrapes <c>/metrics</c> of the server <paramref name="http"/> talks to.</summary>
    public static async Task<MetricsSnapshot> ScrapeAsync(HttpClient http) =>
        new(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)).ConfigureAwait(false));

    /// <summary>The value of the series named <paramref name="name"/> whose labels include <paramref name="labels"/>; 0 when there is none.</summary>
    public double Value(string name, params (string Name, string Value)[] labels) =>
        _samples.Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Name) == l.Value)).Select(s => s.Value).SingleOrDefault();

    private static (string, Dictionary<string, string>, double) ReadSample(string line)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var nameEnd = line.IndexOfAny(['{', ' ']);
        var position = nameEnd;
        if (line[position] == '{')
        {
            position++;
            while (line[position] != '}')
            {
                var equals = line.IndexOf('=', position);
                var (labelValue, end) = ReadQuoted(line, equals + 1);
                labels[line[position..equals]] = labelValue;
                position = line[end] == ',' ? end + 1 : end;
            }

            position++;
        }

        var value = line[(position + 1)..].Split(' ')[0];
        return (line[..nameEnd], labels, double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    /// <summary>The label value quoted at <paramref name="start"/>, and the position after its closing quote.</summary>
    private static (string Value, int End) ReadQuoted(string line, int start)
    {
        var value = new StringBuilder();
        var position = start + 1;
        for (; line[position] != '"'; position++)
        {
            if (line[position] == '\\')
            {
                position++;
                value.Append(line[position] == 'n' ? '\n' : line[position]);
            }
            else
            {
                value.Append(line[position]);
            }
        }

        return (value.ToString(), position + 1);
    }
}
