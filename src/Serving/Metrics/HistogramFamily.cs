using System.Collections.Concurrent;

namespace SpeechServe.Serving.Metrics;

/// <summary>
/// A histogram with labels and fixed upper bounds, safe to observe from any thread. Each series takes a
/// short lock per observation and per read, so a scrape always sees bucket counts, sum and count of the
/// same set of observations. Label values must come from a bounded set, never from request text.
/// </summary>
public sealed class HistogramFamily
{
    private readonly ConcurrentDictionary<LabelValues, HistogramCell> _cells = new();
    private readonly double[] _upperBounds;

    /// <summary>Creates the family with strictly increasing, finite <paramref name="upperBounds"/> (the <c>+Inf</c> bucket is implied).</summary>
    public HistogramFamily(string name, string help, IReadOnlyList<double> upperBounds, params string[] labelNames)
    {
        ArgumentNullException.ThrowIfNull(upperBounds);
        ArgumentNullException.ThrowIfNull(labelNames);
        if (!PrometheusTextWriter.IsValidMetricName(name) || labelNames.Any(l => !PrometheusTextWriter.IsValidLabelName(l)))
        {
            throw new ArgumentException($"'{name}' with labels [{string.Join(", ", labelNames)}] is not a valid metric.", nameof(name));
        }

        if (upperBounds.Count == 0 || upperBounds.Any(b => !double.IsFinite(b)) || upperBounds.Zip(upperBounds.Skip(1)).Any(p => p.First >= p.Second))
        {
            throw new ArgumentException($"{name}: the upper bounds must be finite and strictly increasing.", nameof(upperBounds));
        }

        Name = name;
        Help = help;
        LabelNames = labelNames;
        _upperBounds = [.. upperBounds];
    }

    /// <summary>The metric name.</summary>
    public string Name { get; }

    /// <summary>What it measures.</summary>
    public string Help { get; }

    /// <summary>The label names, in order.</summary>
    public IReadOnlyList<string> LabelNames { get; }

    /// <summary>The finite upper bounds, ascending.</summary>
    public IReadOnlyList<double> UpperBounds => _upperBounds;

    /// <summary>Records <paramref name="value"/> in the series of <paramref name="labelValues"/>; NaN is ignored.</summary>
    public void Observe(double value, params string[] labelValues)
    {
        var cell = SeriesFor(labelValues);
        if (!double.IsNaN(value))
        {
            // The first bound at or above the value: buckets are "less than or equal" (le).
            var index = Array.BinarySearch(_upperBounds, value);
            cell.Observe(index >= 0 ? index : ~index, value);
        }
    }

    /// <summary>Creates the series of <paramref name="labelValues"/> empty if it does not exist, so that it is exposed before its first observation.</summary>
    public void Touch(params string[] labelValues) => SeriesFor(labelValues);

    /// <summary>A consistent snapshot of one series, or null when it does not exist.</summary>
    public HistogramSample? Sample(params string[] labelValues) =>
        _cells.TryGetValue(new LabelValues(labelValues), out var cell) ? cell.Snapshot(new LabelValues(labelValues)) : null;

    /// <summary>Writes the family, its series ordered by label values.</summary>
    public void WriteTo(PrometheusTextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteHistogram(Name, Help, LabelNames, _upperBounds, _cells.ToArray().OrderBy(c => c.Key).Select(c => c.Value.Snapshot(c.Key)));
    }

    private HistogramCell SeriesFor(string[] labelValues)
    {
        ArgumentNullException.ThrowIfNull(labelValues);
        if (labelValues.Length != LabelNames.Count)
        {
            throw new ArgumentException($"{Name} takes {LabelNames.Count} label values, not {labelValues.Length}.", nameof(labelValues));
        }

        // The key keeps its own copy: a caller's array must not change a stored series.
        return _cells.TryGetValue(new LabelValues(labelValues), out var cell)
            ? cell
            : _cells.GetOrAdd(new LabelValues([.. labelValues]), static (_, buckets) => new HistogramCell(buckets), _upperBounds.Length);
    }

    /// <summary>One series: per-bucket counts (the last is above every bound), their sum and count, under one lock.</summary>
    private sealed class HistogramCell(int bounds)
    {
        private readonly Lock _gate = new();
        private readonly long[] _counts = new long[bounds + 1];
        private double _sum;
        private long _count;

        public void Observe(int bucket, double value)
        {
            lock (_gate)
            {
                _counts[bucket]++;
                _sum += value;
                _count++;
            }
        }

        public HistogramSample Snapshot(LabelValues labels)
        {
            var cumulative = new long[_counts.Length - 1];
            lock (_gate)
            {
                long running = 0;
                for (var i = 0; i < cumulative.Length; i++)
                {
                    running += _counts[i];
                    cumulative[i] = running;
                }

                return new HistogramSample(labels.Values, cumulative, _sum, _count);
            }
        }
    }
}
