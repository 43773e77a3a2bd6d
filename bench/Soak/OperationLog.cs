using System.Diagnostics;

namespace SpeechServe.Bench.Soak;

/// <summary>A failed operation: when it happened (seconds into the run), which one, and what went wrong.</summary>
internal sealed record OperationFailure(double AtSeconds, string Operation, string Detail);

/// <summary>Counts, latencies and failures of every operation of the run; safe to use from every loop at once.</summary>
internal sealed class OperationLog(Stopwatch clock)
{
    private const int KeptFailures = 50;
    private readonly Dictionary<string, List<double>> _latencies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _failureCounts = new(StringComparer.Ordinal);
    private readonly List<OperationFailure> _failures = [];

    /// <summary>Total failures, including those beyond the kept details.</summary>
    public int FailureCount { get; private set; }

    /// <summary>The first failures, with their details.</summary>
    public IReadOnlyList<OperationFailure> Failures => _failures;

    /// <summary>Every operation name seen, in ordinal order.</summary>
    public IEnumerable<string> Operations => _latencies.Keys.Union(_failureCounts.Keys).Order(StringComparer.Ordinal);

    public void Succeeded(string operation, TimeSpan latency)
    {
        lock (_latencies)
        {
            Latencies(operation).Add(latency.TotalMilliseconds);
        }
    }

    public void Failed(string operation, string detail)
    {
        lock (_latencies)
        {
            Latencies(operation);
            _failureCounts[operation] = _failureCounts.GetValueOrDefault(operation) + 1;
            FailureCount++;
            if (_failures.Count < KeptFailures)
            {
                _failures.Add(new OperationFailure(clock.Elapsed.TotalSeconds, operation, detail));
            }
        }
    }

    /// <summary>Successful latencies of <paramref name="operation"/> in milliseconds, sorted.</summary>
    public IReadOnlyList<double> SortedLatencies(string operation)
    {
        lock (_latencies)
        {
            return [.. Latencies(operation).Order()];
        }
    }

    public int FailuresOf(string operation)
    {
        lock (_latencies)
        {
            return _failureCounts.GetValueOrDefault(operation);
        }
    }

    private List<double> Latencies(string operation)
    {
        if (!_latencies.TryGetValue(operation, out var list))
        {
            list = [];
            _latencies[operation] = list;
        }

        return list;
    }
}
