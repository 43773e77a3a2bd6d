using SpeechServe.Runtime.Features;

namespace SpeechServe.Runtime.Tests.Features;

/// <summary>
/// Pins this frontend to the PyTorch training frontend (training/sfm/features.py). The golden file is a
/// safetensors file with float32 tensors <c>waveform</c> <c>[N]</c> (16 kHz) and <c>features</c>
/// <c>[frames, 80]</c>, produced by the training code. Drop it at
/// <c>tests/Runtime.Tests/Features/Golden/logmel_golden.safetensors</c> (or point
/// <c>SPEECHSERVE_LOGMEL_GOLDEN</c> at it) and this test runs; until then it is skipped.
/// </summary>
public class GoldenLogMelTests
{
    // PyTorch computes in float32; the log of small mel energies amplifies its rounding.
    private const double Tolerance = 2e-3;

    [GoldenFileFact]
    public void Compute_GoldenWaveform_MatchesTrainingFrontend()
    {
        var golden = SafetensorsFile.Open(GoldenFile.Path!);
        var (waveform, _) = golden.ReadFloat32("waveform");
        var (expected, shape) = golden.ReadFloat32("features");

        var features = LogMelFrontend.Compute(waveform);

        Assert.Equal(shape[0], LogMelSpec.FrameCount(waveform.Length));
        Assert.Equal(80, shape[1]);
        var worst = expected.Zip(features, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= Tolerance, $"max abs difference {worst:G3} from the training frontend");
    }
}

/// <summary>Skips unless the golden log-mel file exists.</summary>
public sealed class GoldenFileFactAttribute : FactAttribute
{
    public GoldenFileFactAttribute()
    {
        if (GoldenFile.Path is null)
        {
            Skip = "No golden log-mel file yet (tests/Runtime.Tests/Features/Golden/logmel_golden.safetensors or SPEECHSERVE_LOGMEL_GOLDEN); it comes from the training frontend.";
        }
    }
}

internal static class GoldenFile
{
    public static string? Path { get; } = Find();

    private static string? Find()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("SPEECHSERVE_LOGMEL_GOLDEN");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return File.Exists(fromEnvironment) ? fromEnvironment : null;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "SpeechServe.slnx")))
            {
                var candidate = System.IO.Path.Combine(directory.FullName, "tests", "Runtime.Tests", "Features", "Golden", "logmel_golden.safetensors");
                return File.Exists(candidate) ? candidate : null;
            }
        }

        return null;
    }
}
