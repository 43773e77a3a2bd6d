using SpeechServe.Export.Repository;
using SpeechServe.Export.Tests.Onnx;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Tensors;
using SpeechServe.Tests.Support;

namespace SpeechServe.Export.Tests.Encoder;

/// <summary>
/// Shared by the encoder export tests: the reference scripts' random checkpoint in both formats, an
/// adapter-only checkpoint, the golden vectors computed from it by PyTorch, and a model repository (with
/// the int8 encoder) exported from the TorchSharp checkpoint, all in one temporary directory.
/// </summary>
public sealed class EncoderExportFixture : ExportFixture
{
    /// <summary>The id the repository is exported under.</summary>
    public const string ModelId = "speechfm-test";


    /// <summary>Generates the checkpoints and golden vectors and exports the repository.</summary>
    public EncoderExportFixture()
    {
        SafetensorsCheckpoint = Scratch.File("random.safetensors");
        TorchSharpCheckpoint = Scratch.File("random.bin");
        MedicalCheckpoint = Scratch.File("medical.safetensors");
        TrainingScripts.Run("make_random_checkpoint.py", "--output", SafetensorsCheckpoint);
        TrainingScripts.Run("make_random_checkpoint.py", "--format", "torchsharp", "--output", TorchSharpCheckpoint);
        TrainingScripts.Run("make_random_checkpoint.py", "--adapter-only", "medical", "--output", MedicalCheckpoint);
        var golden = Scratch.File("golden.safetensors");
        TrainingScripts.Run("dump_golden.py", "--checkpoint", TorchSharpCheckpoint, "--output", golden);
        Golden = SafetensorsReader.ReadFile(golden).Tensors;

        ModelDirectory = Path.Combine(Scratch.Path, "models", ModelId);
        Manifest = ModelRepositoryExporter.Export(new ModelExportRequest
        {
            CheckpointPath = TorchSharpCheckpoint,
            Architecture = Architecture,
            OutputDirectory = ModelDirectory,
            ModelId = ModelId,
            QuantizeInt8 = true,
        });
    }

    /// <summary>The reference architecture, as training/configs/reference.json holds it.</summary>
    public static EncoderArchitecture Architecture { get; } =
        EncoderArchitecture.Load(Path.Combine(TrainingScripts.RepositoryRoot, "training", "configs", "reference.json"));

    /// <summary>The random checkpoint (domains medical and callcenter) as safetensors.</summary>
    public string SafetensorsCheckpoint { get; }

    /// <summary>The same checkpoint in TorchSharp's format.</summary>
    public string TorchSharpCheckpoint { get; }

    /// <summary>Only the <c>adapters.medical.*</c> tensors, equal to the full checkpoint's.</summary>
    public string MedicalCheckpoint { get; }

    /// <summary>The golden vectors of training/dump_golden.py.</summary>
    public TensorMap Golden { get; }

    /// <summary>The exported model repository.</summary>
    public string ModelDirectory { get; }

    /// <summary>The repository's manifest as the exporter returned it.</summary>
    public ModelManifest Manifest { get; }
}
