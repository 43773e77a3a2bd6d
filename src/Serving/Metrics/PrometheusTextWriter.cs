using System.Globalization;
using System.Text;

namespace SpeechServe.Serving.Metrics;

/// <summary>
/// Writes metric families in Prometheus' text exposition format 0.0.4: per family a <c># HELP</c> and a
/// <c># TYPE</c> line, then one line per sample. Label values escape backslash, double quote and line feed;
/// help text escapes backslash and line feed. Numbers use the invariant culture, shortest round-trip form,
/// and <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>. The caller orders the samples; this class only formats them.
/// </summary>
public sealed class PrometheusTextWriter
{
    /// <summary>The content type of the format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new();

    /// <summary>Writes a counter family; <paramref name="name"/> should end in <c>_total</c>.</summary>
    public void WriteCounter(string name, string help, IReadOnlyList<string> labelNames, IEnumerable<MetricSample> samples) =>
        WriteSimple(name, help, "counter", labelNames, samples);

    /// <summary>Writes a gauge family.</summary>
    public void WriteGauge(string name, string help, IReadOnlyList<string> labelNames, IEnumerable<MetricSample> samples) =>
        WriteSimple(name, help, "gauge", labelNames, samples);

    /// <summary>
    /// Writes a histogram family: per sample the cumulative <c>_bucket</c> lines for each of
    /// <paramref name="upperBounds"/> and <c>+Inf</c> (which is the sample's count), then <c>_sum</c> and <c>_count</c>.
    /// </summary>
    public void WriteHistogram(
        string name, string help, IReadOnlyList<string> labelNames, IReadOnlyList<double> upperBounds, IEnumerable<HistogramSample> samples)
    {
        ArgumentNullException.ThrowIfNull(upperBounds);
        ArgumentNullException.ThrowIfNull(samples);
        WriteHeader(name, help, "histogram", labelNames);
        foreach (var sample in samples)
        {
            CheckArity(name, labelNames, sample.LabelValues);
            if (sample.CumulativeCounts.Count != upperBounds.Count)
            {
                throw new ArgumentException($"{name}: {sample.CumulativeCounts.Count} bucket counts for {upperBounds.Count} bounds.", nameof(samples));
            }

            for (var i = 0; i < upperBounds.Count; i++)
            {
                WriteLine(name + "_bucket", labelNames, sample.LabelValues, FormatNumber(upperBounds[i]), sample.CumulativeCounts[i]);
            }

            WriteLine(name + "_bucket", labelNames, sample.LabelValues, "+Inf", sample.Count);
            WriteLine(name + "_sum", labelNames, sample.LabelValues, null, sample.Sum);
            WriteLine(name + "_count", labelNames, sample.LabelValues, null, sample.Count);
        }
    }

    /// <summary>The text written so far.</summary>
    public override string ToString() => _text.ToString();

    /// <summary>A label value with backslash, double quote and line feed escaped.</summary>
    public static string EscapeLabelValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.AsSpan().IndexOfAny('\\', '"', '\n') < 0
            ? value
            : value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
    }

    /// <summary>A number as the format writes it.</summary>
    public static string FormatNumber(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>Whether <paramref name="name"/> is a valid metric name.</summary>
    public static bool IsValidMetricName(string name) => IsValidName(name, allowColon: true);

    /// <summary>Whether <paramref name="name"/> is a valid label name (not reserved: no leading <c>__</c>, not <c>le</c>).</summary>
    public static bool IsValidLabelName(string name) =>
        IsValidName(name, allowColon: false) && !name.StartsWith("__", StringComparison.Ordinal) && name != "le";

    private void WriteSimple(string name, string help, string type, IReadOnlyList<string> labelNames, IEnumerable<MetricSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        WriteHeader(name, help, type, labelNames);
        foreach (var sample in samples)
        {
            CheckArity(name, labelNames, sample.LabelValues);
            WriteLine(name, labelNames, sample.LabelValues, null, sample.Value);
        }
    }

    private void WriteHeader(string name, string help, string type, IReadOnlyList<string> labelNames)
    {
        ArgumentNullException.ThrowIfNull(help);
        ArgumentNullException.ThrowIfNull(labelNames);
        if (!IsValidMetricName(name))
        {
            throw new ArgumentException($"'{name}' is not a valid metric name.", nameof(name));
        }

        if (labelNames.FirstOrDefault(l => !IsValidLabelName(l)) is { } badLabel)
        {
            throw new ArgumentException($"{name}: '{badLabel}' is not a valid label name.", nameof(labelNames));
        }

        _text.Append("# HELP ").Append(name).Append(' ')
            .Append(help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
        _text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    private void WriteLine(string name, IReadOnlyList<string> labelNames, IReadOnlyList<string> labelValues, string? le, double value)
    {
        _text.Append(name);
        if (labelNames.Count > 0 || le is not null)
        {
            _text.Append('{');
            for (var i = 0; i < labelNames.Count; i++)
            {
                _text.Append(i == 0 ? string.Empty : ",").Append(labelNames[i]).Append("=\"").Append(EscapeLabelValue(labelValues[i])).Append('"');
            }

            if (le is not null)
            {
                _text.Append(labelNames.Count == 0 ? string.Empty : ",").Append("le=\"").Append(le).Append('"');
            }

            _text.Append('}');
        }

        _text.Append(' ').Append(FormatNumber(value)).Append('\n');
    }

    private static void CheckArity(string name, IReadOnlyList<string> labelNames, IReadOnlyList<string> labelValues)
    {
        ArgumentNullException.ThrowIfNull(labelValues);
        if (labelValues.Count != labelNames.Count)
        {
            throw new ArgumentException($"{name}: {labelValues.Count} label values for {labelNames.Count} label names.", nameof(labelValues));
        }
    }

    private static bool IsValidName(string name, bool allowColon)
    {
        if (string.IsNullOrEmpty(name) || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':')))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>One sample of a counter or gauge.</summary>
/// <param name="LabelValues">One value per label name of the family, in its order.</param>
/// <param name="Value">The value.</param>
public sealed record MetricSample(IReadOnlyList<string> LabelValues, double Value);

/// <summary>One labelled histogram.</summary>
/// <param name="LabelValues">One value per label name of the family, in its order.</param>
/// <param name="CumulativeCounts">Observations at or below each finite upper bound, in the bounds' order.</param>
/// <param name="Sum">The sum of the observations.</param>
/// <param name="Count">All observations; also the <c>+Inf</c> bucket.</param>
public sealed record HistogramSample(IReadOnlyList<string> LabelValues, IReadOnlyList<long> CumulativeCounts, double Sum, long Count);
