using System.Diagnostics;
using System.Globalization;

namespace SpeechServe.Bench.Soak;

/// <summary>One reading of the server's resident memory.</summary>
internal sealed record MemorySample(TimeSpan At, long ResidentKiB);

/// <summary>Reads the server's <c>VmRSS</c> from <c>/proc/PID/status</c> at a fixed interval.</summary>
internal sealed class ResidentMemorySampler(int pid, Stopwatch clock)
{
    private readonly List<MemorySample> _samples = [];

    public IReadOnlyList<MemorySample> Samples => _samples;

    /// <summary>Samples until <paramref name="stop"/> is cancelled; returns false when the server process is gone.</summary>
    public async Task<bool> RunAsync(TimeSpan interval, CancellationToken stop)
    {
        while (true)
        {
            if (!Sample())
            {
                return false;
            }

            try
            {
                await Task.Delay(interval, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return Sample();
            }
        }
    }

    /// <summary>Takes one sample; false when the process no longer exists.</summary>
    public bool Sample()
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines($"/proc/{pid}/status");
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false;
        }

        // "VmRSS:	  175740 kB"
        var line = lines.Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kib = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        lock (_samples)
        {
            _samples.Add(new MemorySample(clock.Elapsed, kib));
        }

        return true;
    }

    /// <summary>The median of the samples taken in [<paramref name="from"/>, <paramref name="to"/>], or null when none.</summary>
    public long? Median(TimeSpan from, TimeSpan to)
    {
        List<long> window;
        lock (_samples)
        {
            window = [.. _samples.Where(s => s.At >= from && s.At <= to).Select(s => s.ResidentKiB).Order()];
        }

        return window.Count == 0 ? null : window[window.Count / 2];
    }
}
