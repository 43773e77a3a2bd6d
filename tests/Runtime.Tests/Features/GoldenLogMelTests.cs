using SpeechServe.Runtime.Features;
using SpeechServe.Runtime.Tensors;
using SpeechServe.Tests.Support;

namespace SpeechServe.Runtime.Tests.Features;

/// <summary>
/// Pins this frontend to the PyTorch training frontend (training/speechfm/features.py): the training code
/// writes a golden waveform and its features (computed in float64, stored as float32), and ours must
/// agree within 1e-4.
/// </summary>
public sealed class GoldenLogMelTests : IDisposable
{
    private const double Tolerance = 1e-4;
    private readonly string _directory = Directory.CreateTempSubdirectory("speechserve-golden-").FullName;

    [Fact]
    public void Compute_TrainingGoldenWaveform_MatchesTrainingFrontend()
    {
        var path = Path.Combine(_directory, "frontend.safetensors");
        TrainingScripts.Run("dump_golden.py", "--frontend-only", "--output", path);
        var golden = SafetensorsReader.ReadFile(path).Tensors;
        var waveform = golden["frontend.waveform"].ToFloat32();
        var expected = golden["frontend.features"];

        var features = LogMelFrontend.Compute(waveform);

        Assert.Equal([LogMelSpec.FrameCount(waveform.Length), 80L], expected.Shape.ToArray());
        var worst = expected.ToFloat32().Zip(features, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= Tolerance, $"max abs difference {worst:G3} from the training frontend");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
