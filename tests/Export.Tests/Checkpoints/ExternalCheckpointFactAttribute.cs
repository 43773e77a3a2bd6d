namespace SpeechServe.Export.Tests.Checkpoints;

/// <summary>
/// A fact that runs only when <c>SPEECHSERVE_CHECKPOINT_FIXTURES</c> names a directory of
/// checkpoints written by another implementation (e.g. training's Python writers,
/// <c>training/speechfm/checkpoint_torchsharp.py</c> and <c>checkpoint_safetensors.py</c>);
/// otherwise it is reported as skipped.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ExternalCheckpointFactAttribute : FactAttribute
{
    /// <summary>The environment variable naming the fixture directory.</summary>
    public const string Variable = "SPEECHSERVE_CHECKPOINT_FIXTURES";

    /// <summary>Marks the test skipped when no fixture directory is configured.</summary>
    public ExternalCheckpointFactAttribute()
    {
        if (Directory is null)
        {
            Skip = $"Set {Variable} to a directory of externally written checkpoints to run this test.";
        }
    }

    /// <summary>The configured fixture directory, or null.</summary>
    public static string? Directory =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path && System.IO.Directory.Exists(path) ? path : null;
}
