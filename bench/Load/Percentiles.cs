namespace SpeechServe.Bench.Load;

/// <summary>Nearest-rank percentiles.</summary>
internal static class Percentiles
{
    public static double Percentile(this IReadOnlyCollection<double> values, int percentile)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, Math.Max(0, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1))];
    }
}
