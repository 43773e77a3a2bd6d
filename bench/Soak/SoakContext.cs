using System.Diagnostics;

namespace SpeechServe.Bench.Soak;

/// <summary>What every loop of the run shares: the server, the clock, the clips and the log.</summary>
internal sealed record SoakContext(SoakOptions Options, HttpClient Http, Stopwatch Clock, IReadOnlyList<SpeechClip> Clips, ServedModels Models, OperationLog Log)
{
    /// <summary>True while the run's duration has not passed.</summary>
    public bool Running => Clock.Elapsed < Options.Duration;

    /// <summary>A cap on a loop's iterations: never more than <paramref name="perSecond"/> per second of the run.</summary>
    public int MaxIterations(double perSecond) => (int)Math.Ceiling(Options.Duration.TotalSeconds * perSecond) + 1;
}

/// <summary>The base model and adapter ids listed by <c>GET /v1/models</c>.</summary>
internal sealed record ServedModels(string BaseModel, IReadOnlyList<string> Adapters)
{
    /// <summary>Every id clients may name: the base model, then each adapter.</summary>
    public IReadOnlyList<string> All => [BaseModel, .. Adapters];
}
