using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SpeechServe.Bench.Export;

/// <summary>
/// Time per operator type from an ONNX Runtime profile (the JSON that <c>InferenceSession.EndProfiling</c> writes):
/// the <c>dur</c> of every node event, summed by its <c>op_name</c>.
/// </summary>
internal sealed class OperatorProfile
{
    private OperatorProfile(Dictionary<string, double> microseconds, int runs)
    {
        Microseconds = microseconds;
        Runs = runs;
    }

    /// <summary>Summed node time per operator type, over all runs.</summary>
    public IReadOnlyDictionary<string, double> Microseconds { get; }

    /// <summary>The session runs the profile covers.</summary>
    public int Runs { get; }

    public double TotalMicroseconds => Microseconds.Values.Sum();

    public static OperatorProfile Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var microseconds = new Dictionary<string, double>(StringComparer.Ordinal);
        var runs = 0;
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            var category = entry.GetProperty("cat").GetString();
            if (category == "Session" && entry.GetProperty("name").GetString() == "model_run")
            {
                runs++;
            }
            else if (category == "Node" && entry.TryGetProperty("args", out var args) && args.TryGetProperty("op_name", out var op))
            {
                var name = op.GetString()!;
                microseconds[name] = microseconds.GetValueOrDefault(name) + entry.GetProperty("dur").GetDouble();
            }
        }

        return new OperatorProfile(microseconds, Math.Max(runs, 1));
    }

    /// <summary>A markdown table of milliseconds per run and share of node time, one row per operator type, largest first.</summary>
    public static string Compare(string leftLabel, OperatorProfile left, string rightLabel, OperatorProfile right)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"| operator | {leftLabel} ms per call | {leftLabel} share | {rightLabel} ms per call | {rightLabel} share |\n");
        text.Append("| --- | ---: | ---: | ---: | ---: |\n");
        foreach (var op in left.Microseconds.Keys.Union(right.Microseconds.Keys).OrderByDescending(o => left.Microseconds.GetValueOrDefault(o) + right.Microseconds.GetValueOrDefault(o)))
        {
            text.Append(CultureInfo.InvariantCulture, $"| {op} | {Cells(left, op)} | {Cells(right, op)} |\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"| all nodes | {left.TotalMicroseconds / left.Runs / 1000:F2} | 100 % | {right.TotalMicroseconds / right.Runs / 1000:F2} | 100 % |\n");
        return text.ToString();
    }

    private static string Cells(OperatorProfile profile, string op)
    {
        if (!profile.Microseconds.TryGetValue(op, out var microseconds))
        {
            return "- | -";
        }

        return string.Create(CultureInfo.InvariantCulture, $"{microseconds / profile.Runs / 1000:F2} | {100 * microseconds / profile.TotalMicroseconds:F1} %");
    }
}
