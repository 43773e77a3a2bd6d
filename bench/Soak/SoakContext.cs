using System.Diagnostics;

namespace SpeechServe.Bench.Soak;

/// <summary>What every loop of the run shares: the server, the clock, the clips and the log.</summary>
internal sealed record SoakContext(
    SoakOptions Options, HttpClient Http, Stopwatch Clock, IReadOnlyList<SpeechClip> Clips, IReadOnlyList<SpeechClip> TranslationClips, ServedModels Models, OperationLog Log)
{
    /// <summary>True while the run's duration has not passed.</summary>
    public bool Running => Clock.Elapsed < Options.Duration;

    /// <summary>A cap on a loop's iterations: never more than <paramref name="perSecond"/> per second of the run.</summary>
    public int MaxIterations(double perSecond) => (int)Math.Ceiling(Options.Duration.TotalSeconds * perSecond) + 1;

    /// <summary>The translation clips spoken in the source language of <paramref name="model"/> (<c>translate-LANG</c>: <c>LANG-*.wav</c>).</summary>
    /// <exception cref="ArgumentException">There is none.</exception>
    public IReadOnlyList<SpeechClip> TranslationClipsFor(string model)
    {
        var language = model[(model.LastIndexOf('-') + 1)..];
        var clips = TranslationClips.Where(c => c.Name.StartsWith(language + "-", StringComparison.Ordinal)).ToList();
        return clips.Count > 0 ? clips : throw new ArgumentException($"no {language}-*.wav clip for the translation adapter {model}");
    }
}

/// <summary>
/// The ids <c>GET /v1/models</c> lists: the base model, its recognition adapters (<c>task</c> <c>transcribe</c>) and
/// its translation adapters (<c>translate</c>).
/// </summary>
internal sealed record ServedModels(string BaseModel, IReadOnlyList<string> Adapters, IReadOnlyList<string> TranslationAdapters)
{
    /// <summary>Every id transcriptions and streams may name: the base model, then each recognition adapter.</summary>
    public IReadOnlyList<string> All => [BaseModel, .. Adapters];
}
