using System.Globalization;

namespace SpeechServe.Bench.Soak;

/// <summary>What the soak run does and for how long; read from <c>--name value</c> arguments.</summary>
internal sealed record SoakOptions
{
    public const string Usage =
        "usage: speechserve-soak --url URL --pid SERVER_PID --wav-dir DIR --admin-key KEY --adapter-dir DIR\n" +
        "         [--translation-wav-dir DIR] [--translation-clients 1]\n" +
        "         [--duration-s 600] [--warmup-s 120] [--rest-clients 2] [--rest-pause-ms 250] [--streams 2]\n" +
        "         [--swap-interval-s 10] [--sample-interval-s 5] [--max-growth-percent 5]";

    /// <summary>The server's base address.</summary>
    public required Uri Url { get; init; }

    /// <summary>The server's process id, whose <c>/proc/PID/status</c> gives its resident memory.</summary>
    public required int ServerPid { get; init; }

    /// <summary>Directory of the WAV files sent by REST and streamed.</summary>
    public required string WavDirectory { get; init; }

    /// <summary>The server's <c>Admin:ApiKey</c>.</summary>
    public required string AdminKey { get; init; }

    /// <summary>A stored version of the swapped adapter (its config and weights): version 2 is derived from it.</summary>
    public required string AdapterDirectory { get; init; }

    /// <summary>Clips named <c>LANG-*.wav</c> for the translation adapters; null runs no translations.</summary>
    public string? TranslationWavDirectory { get; init; }

    /// <summary>Clients sending translations (when there are translation adapters and clips).</summary>
    public int TranslationClients { get; init; } = 1;

    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Resident memory is compared from the end of the warm-up to the end of the run.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromMinutes(2);

    public int RestClients { get; init; } = 2;

    /// <summary>Pause of each REST client between two requests.</summary>
    public TimeSpan RestPause { get; init; } = TimeSpan.FromMilliseconds(250);

    public int Streams { get; init; } = 2;

    public TimeSpan SwapInterval { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromSeconds(5);

    public double MaxGrowthPercent { get; init; } = 5;

    /// <summary>Reads the arguments; throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public static SoakOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"expected '--name value' pairs, got '{args[i]}'");
            }

            values[args[i][2..]] = args[i + 1];
        }

        string Required(string name) => values.Remove(name, out var value) ? value : throw new ArgumentException($"--{name} is required");
        double Number(string name, double fallback) =>
            values.Remove(name, out var value) ? double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture) : fallback;

        var options = new SoakOptions
        {
            Url = new Uri(Required("url")),
            ServerPid = (int)Number("pid", 0),
            WavDirectory = Required("wav-dir"),
            AdminKey = Required("admin-key"),
            AdapterDirectory = Required("adapter-dir"),
            TranslationWavDirectory = values.Remove("translation-wav-dir", out var translationWavs) ? translationWavs : null,
            TranslationClients = (int)Number("translation-clients", 1),
            Duration = TimeSpan.FromSeconds(Number("duration-s", 600)),
            Warmup = TimeSpan.FromSeconds(Number("warmup-s", 120)),
            RestClients = (int)Number("rest-clients", 2),
            RestPause = TimeSpan.FromMilliseconds(Number("rest-pause-ms", 250)),
            Streams = (int)Number("streams", 2),
            SwapInterval = TimeSpan.FromSeconds(Number("swap-interval-s", 10)),
            SampleInterval = TimeSpan.FromSeconds(Number("sample-interval-s", 5)),
            MaxGrowthPercent = Number("max-growth-percent", 5),
        };
        if (values.Count > 0)
        {
            throw new ArgumentException($"unknown option --{values.Keys.First()}");
        }

        if (options.ServerPid <= 0 || options.Duration <= TimeSpan.Zero || options.Warmup >= options.Duration)
        {
            throw new ArgumentException("--pid must be the server's process id, and --warmup-s shorter than --duration-s");
        }

        return options;
    }
}
