namespace SpeechServe.Export.Adaptation;

/// <summary>How a dataset is checked and how the adapter is trained (docs/adapters.md, "Domain adaptation").</summary>
public sealed record AdaptationSettings
{
    /// <summary>Training time; dev evaluations come on top (about a second per minute of dev audio).</summary>
    public TimeSpan TimeBudget { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Adapter units per layer, at most the model's; null: the model's.</summary>
    public int? Bottleneck { get; init; }

    /// <summary>The least usable audio a dataset must hold.</summary>
    public TimeSpan MinAudio { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The longest utterance accepted.</summary>
    public TimeSpan MaxUtterance { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Share of the utterances held out as the dev split (every n-th utterance).</summary>
    public double DevFraction { get; init; } = 0.1;

    /// <summary>Epochs without a better dev WER before training stops.</summary>
    public int Patience { get; init; } = 5;

    /// <summary>The most epochs trained.</summary>
    public int MaxEpochs { get; init; } = 40;

    /// <summary>CPU threads of the training process.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary><c>auto</c> (a CUDA GPU when PyTorch sees one), <c>cpu</c> or <c>cuda</c>.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>Whether the training process runs at a lower scheduling priority (for a server that keeps serving).</summary>
    public bool LowPriority { get; init; }

    /// <summary>The Python interpreter with PyTorch (Debian's python3-torch).</summary>
    public string Python { get; init; } = "/usr/bin/python3";
}
