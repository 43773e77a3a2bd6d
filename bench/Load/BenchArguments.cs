using System.Globalization;

namespace SpeechServe.Bench.Load;

/// <summary>The <c>--name value</c> options of a subcommand; an option may be given several times.</summary>
internal sealed class BenchArguments
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public BenchArguments(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"expected '--name value' pairs, got '{args[i]}'");
            }

            var name = args[i][2..];
            if (!_values.TryGetValue(name, out var list))
            {
                _values[name] = list = [];
            }

            list.Add(args[i + 1]);
        }
    }

    public string Text(string name) =>
        _values.TryGetValue(name, out var list) ? list[^1] : throw new ArgumentException($"--{name} is required");

    public IReadOnlyList<string> All(string name) =>
        _values.TryGetValue(name, out var list) ? list : throw new ArgumentException($"--{name} is required");

    public int Int(string name, int fallback) =>
        _values.ContainsKey(name) ? int.Parse(Text(name), CultureInfo.InvariantCulture) : fallback;

    public double Number(string name, double fallback) =>
        _values.ContainsKey(name) ? double.Parse(Text(name), CultureInfo.InvariantCulture) : fallback;

    /// <summary>A comma-separated list of integers, such as <c>1,2,4</c>.</summary>
    public IReadOnlyList<int> Ints(string name, string fallback) =>
        [.. (_values.ContainsKey(name) ? Text(name) : fallback).Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
}
