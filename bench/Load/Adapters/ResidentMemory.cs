using System.Globalization;

namespace SpeechServe.Bench.Load.Adapters;

/// <summary>A process's resident set size, read from <c>/proc/PID/status</c> (Linux).</summary>
internal static class ResidentMemory
{
    /// <summary>The median of several readings, after a pause for the server to settle.</summary>
    public static async Task<long> SettledBytesAsync(int pid)
    {
        await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        var readings = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            readings.Add(Bytes(pid));
            await Task.Delay(200).ConfigureAwait(false);
        }

        return (long)readings.Percentile(50);
    }

    private static long Bytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kilobytes = line["VmRSS:".Length..].Trim().Split(' ')[0];
        return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
    }
}
