using System.Globalization;

namespace SpeechServe.Bench.Soak;

/// <summary>Prints the end-of-run report and decides whether the run met its targets.</summary>
internal static class SoakReport
{
    private static readonly TimeSpan MemoryWindow = TimeSpan.FromSeconds(30);

    /// <summary>Writes the report to the console; returns the targets missed (none: the run passed).</summary>
    public static List<string> Write(SoakContext context, ResidentMemorySampler memory, IEnumerable<string> expectedOperations, IEnumerable<string> problems)
    {
        var options = context.Options;
        var log = context.Log;
        var missed = new List<string>(problems);
        Console.WriteLine();
        var operations = log.Operations.Union(expectedOperations).Order(StringComparer.Ordinal).ToList();
        var width = operations.Max(o => o.Length);
        Console.WriteLine($"{"operation".PadRight(width)} | count | failures | p50 ms | p95 ms");
        foreach (var operation in operations)
        {
            var latencies = log.SortedLatencies(operation);
            var failures = log.FailuresOf(operation);
            Console.WriteLine(Invariant($"{operation.PadRight(width)} | {latencies.Count + failures,5} | {failures,8} | {Percentile(latencies, 50),6:F0} | {Percentile(latencies, 95),6:F0}"));
            if (latencies.Count + failures == 0)
            {
                missed.Add($"no '{operation}' operation ran");
            }
        }

        if (log.FailureCount > 0)
        {
            missed.Add($"{log.FailureCount} failed operations (target: none)");
            Console.WriteLine();
            Console.WriteLine($"failures ({log.Failures.Count} of {log.FailureCount} shown):");
            foreach (var failure in log.Failures)
            {
                Console.WriteLine(Invariant($"  {failure.AtSeconds,7:F1} s  {failure.Operation}: {failure.Detail}"));
            }
        }

        Console.WriteLine();
        Console.WriteLine("resident memory (VmRSS) of the server, MiB: " + Timeline(memory.Samples, options.Duration));
        var window = TimeSpan.FromTicks(Math.Min(MemoryWindow.Ticks, Math.Min(options.Warmup.Ticks, (options.Duration - options.Warmup).Ticks) / 2));
        var afterWarmup = memory.Median(options.Warmup - window, options.Warmup);
        var atEnd = memory.Median(options.Duration - window, options.Duration);
        if (afterWarmup is { } warm && atEnd is { } end)
        {
            var growth = 100.0 * (end - warm) / warm;
            var peak = memory.Samples.Where(s => s.At >= options.Warmup).Max(s => s.ResidentKiB);
            Console.WriteLine(
                Invariant($"RSS after the {options.Warmup.TotalSeconds:F0} s warm-up (median of the samples of its last {window.TotalSeconds:F0} s): {Mib(warm):F1} MiB; ") +
                Invariant($"at the end (median of the last {window.TotalSeconds:F0} s): {Mib(end):F1} MiB; peak after warm-up {Mib(peak):F1} MiB"));
            Console.WriteLine(Invariant($"RSS growth after warm-up: {growth:+0.0;-0.0} % (target < {options.MaxGrowthPercent} %)"));
            if (growth >= options.MaxGrowthPercent)
            {
                missed.Add(Invariant($"RSS grew {growth:F1} % after warm-up (target < {options.MaxGrowthPercent} %)"));
            }
        }
        else
        {
            missed.Add("too few memory samples to compare the warm-up with the end");
        }

        Console.WriteLine();
        Console.WriteLine(missed.Count == 0 ? "result: PASS" : "result: FAIL: " + string.Join("; ", missed));
        return missed;
    }

    /// <summary>The nearest-rank percentile, or NaN for no values.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, int percentile) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static double Mib(long kib) => kib / 1024.0;

    /// <summary>About ten samples spread over the run, as <c>m:ss value</c>.</summary>
    private static string Timeline(IReadOnlyList<MemorySample> samples, TimeSpan duration)
    {
        var step = duration / 10;
        var shown = new List<string>();
        var next = TimeSpan.Zero;
        foreach (var sample in samples)
        {
            if (sample.At >= next || sample == samples[^1])
            {
                shown.Add(Invariant($"{(int)sample.At.TotalMinutes}:{sample.At.Seconds:00} {Mib(sample.ResidentKiB):F1}"));
                next = sample.At + step;
            }
        }

        return string.Join(", ", shown);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
