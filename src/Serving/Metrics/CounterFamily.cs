using System.Collections.Concurrent;

namespace SpeechServe.Serving.Metrics;

/// <summary>
/// A counter with labels: one monotonically increasing value per combination of label values, safe to add
/// to from any thread. Label values must come from a bounded set (route templates, model ids), never from
/// request text.
/// </summary>
public sealed class CounterFamily
{
    private readonly ConcurrentDictionary<LabelValues, CounterCell> _cells = new();

    /// <summary>Creates the family; <paramref name="name"/> should end in <c>_total</c>.</summary>
    public CounterFamily(string name, string help, params string[] labelNames)
    {
        ArgumentNullException.ThrowIfNull(labelNames);
        if (!PrometheusTextWriter.IsValidMetricName(name) || labelNames.Any(l => !PrometheusTextWriter.IsValidLabelName(l)))
        {
            throw new ArgumentException($"'{name}' with labels [{string.Join(", ", labelNames)}] is not a valid metric.", nameof(name));
        }

        Name = name;
        Help = help;
        LabelNames = labelNames;
    }

    /// <summary>The metric name.</summary>
    public string Name { get; }

    /// <summary>What it counts.</summary>
    public string Help { get; }

    /// <summary>The label names, in order.</summary>
    public IReadOnlyList<string> LabelNames { get; }

    /// <summary>Adds <paramref name="amount"/> (not negative, not NaN) to the series of <paramref name="labelValues"/>.</summary>
    public void Add(double amount, params string[] labelValues)
    {
        if (!(amount >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "A counter only goes up.");
        }

        SeriesFor(labelValues).Add(amount);
    }

    /// <summary>Adds one to the series of <paramref name="labelValues"/>.</summary>
    public void Increment(params string[] labelValues) => SeriesFor(labelValues).Add(1);

    /// <summary>Creates the series of <paramref name="labelValues"/> at zero if it does not exist, so that it is exposed before its first event.</summary>
    public void Touch(params string[] labelValues) => SeriesFor(labelValues);

    /// <summary>The value of one series (zero when it does not exist).</summary>
    public double Value(params string[] labelValues) =>
        _cells.TryGetValue(new LabelValues(labelValues), out var cell) ? cell.Value : 0;

    /// <summary>Writes the family, its series ordered by label values.</summary>
    public void WriteTo(PrometheusTextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteCounter(Name, Help, LabelNames, _cells.ToArray().OrderBy(c => c.Key).Select(c => new MetricSample(c.Key.Values, c.Value.Value)));
    }

    private CounterCell SeriesFor(string[] labelValues)
    {
        ArgumentNullException.ThrowIfNull(labelValues);
        if (labelValues.Length != LabelNames.Count)
        {
            throw new ArgumentException($"{Name} takes {LabelNames.Count} label values, not {labelValues.Length}.", nameof(labelValues));
        }

        // The key keeps its own copy: a caller's array must not change a stored series.
        return _cells.TryGetValue(new LabelValues(labelValues), out var cell)
            ? cell
            : _cells.GetOrAdd(new LabelValues([.. labelValues]), static _ => new CounterCell());
    }
}

/// <summary>One series' value, added to without locks.</summary>
internal sealed class CounterCell
{
    private double _value;

    public double Value => Volatile.Read(ref _value);

    public void Add(double amount)
    {
        var current = Volatile.Read(ref _value);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref _value, current + amount, current);
            if (BitConverter.DoubleToInt64Bits(seen) == BitConverter.DoubleToInt64Bits(current))
            {
                return;
            }

            current = seen;
        }
    }
}
