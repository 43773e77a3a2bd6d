namespace SpeechServe.Serving.Adaptation;

/// <summary>Configuration of <c>POST /admin/adaptations</c> (section <c>Adaptation</c>).</summary>
public sealed class AdaptationOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Adaptation";

    /// <summary>Where jobs keep their state and data; empty: <c>speechserve-adaptations</c> in the temp directory.</summary>
    public string? JobsPath { get; set; }

    /// <summary>Jobs that train at once; the others wait in order.</summary>
    public int MaxConcurrentJobs { get; set; } = 1;

    /// <summary>CPU threads of each training process.</summary>
    public int Threads { get; set; } = 1;

    /// <summary>Python interpreter with PyTorch.</summary>
    public string Python { get; set; } = "/usr/bin/python3";

    /// <summary><c>auto</c> (a CUDA GPU when PyTorch sees one), <c>cpu</c> or <c>cuda</c>.</summary>
    public string Device { get; set; } = "auto";

    /// <summary>Largest dataset upload (the zip).</summary>
    public long MaxDataBytes { get; set; } = 512L << 20;

    /// <summary>Largest uncompressed dataset.</summary>
    public long MaxUncompressedBytes { get; set; } = 2L << 30;

    /// <summary>The least usable audio a dataset must hold, in seconds.</summary>
    public double MinAudioSeconds { get; set; } = 120;

    /// <summary>Training time of a job that names none, in minutes.</summary>
    public double DefaultTimeBudgetMinutes { get; set; } = 10;

    /// <summary>The longest training time a job may ask for, in minutes.</summary>
    public double MaxTimeBudgetMinutes { get; set; } = 60;

    /// <summary>The jobs directory in effect.</summary>
    public string ResolvedJobsPath => string.IsNullOrEmpty(JobsPath) ? Path.Combine(Path.GetTempPath(), "speechserve-adaptations") : JobsPath;
}
