namespace SpeechServe.Serving.Metrics;

/// <summary>The label values of one series, compared by value; ordered ordinally, value by value.</summary>
internal readonly struct LabelValues : IEquatable<LabelValues>, IComparable<LabelValues>
{
    private readonly string[] _values;

    public LabelValues(string[] values) => _values = values;

    public IReadOnlyList<string> Values => _values;

    public bool Equals(LabelValues other) => _values.AsSpan().SequenceEqual(other._values);

    public override bool Equals(object? obj) => obj is LabelValues other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var value in _values)
        {
            hash.Add(value, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    public int CompareTo(LabelValues other)
    {
        for (var i = 0; i < Math.Min(_values.Length, other._values.Length); i++)
        {
            var order = string.CompareOrdinal(_values[i], other._values[i]);
            if (order != 0)
            {
                return order;
            }
        }

        return _values.Length.CompareTo(other._values.Length);
    }
}
