using System.Globalization;
using SpeechServe.Export.Repository;
using SpeechServe.Export.Tests.Onnx;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Tensors;
using SpeechServe.Tests.Support;

namespace SpeechServe.Export.Tests.Encoder;

/// <summary>
/// A random checkpoint with 80 % of each encoder matrix pruned (training/make_random_checkpoint.py --sparsity, the
/// pruning of training/parp.py), its golden vectors, and two model repositories exported from it: with dense
/// initializers and with <see cref="ModelExportRequest.SparseInitializers"/>.
/// </summary>
public sealed class SparseEncoderFixture : ExportFixture
{
    /// <summary>The share of each encoder matrix that is zero.</summary>
    public const double Sparsity = 0.8;

    /// <summary>Writes the pruned checkpoint and its golden vectors and exports both repositories.</summary>
    public SparseEncoderFixture()
    {
        Checkpoint = Scratch.File("pruned.safetensors");
        TrainingScripts.Run("make_random_checkpoint.py", "--sparsity", Sparsity.ToString(CultureInfo.InvariantCulture), "--output", Checkpoint);
        var golden = Scratch.File("golden.safetensors");
        TrainingScripts.Run("dump_golden.py", "--checkpoint", Checkpoint, "--output", golden);
        Golden = SafetensorsReader.ReadFile(golden).Tensors;
        DenseDirectory = Path.Combine(Scratch.Path, "dense");
        SparseDirectory = Path.Combine(Scratch.Path, "sparse");
        var request = new ModelExportRequest
        {
            CheckpointPath = Checkpoint,
            Architecture = EncoderExportFixture.Architecture,
            OutputDirectory = DenseDirectory,
            ModelId = "speechfm-pruned",
        };
        DenseManifest = ModelRepositoryExporter.Export(request);
        SparseManifest = ModelRepositoryExporter.Export(request with { OutputDirectory = SparseDirectory, SparseInitializers = true });
    }

    /// <summary>The pruned checkpoint (safetensors, adapters medical and callcenter).</summary>
    public string Checkpoint { get; }

    /// <summary>The golden vectors of training/dump_golden.py for the pruned checkpoint.</summary>
    public TensorMap Golden { get; }

    /// <summary>The repository exported with dense initializers.</summary>
    public string DenseDirectory { get; }

    /// <summary>The repository exported with sparse initializers.</summary>
    public string SparseDirectory { get; }

    /// <summary>The dense repository's manifest.</summary>
    public ModelManifest DenseManifest { get; }

    /// <summary>The sparse repository's manifest.</summary>
    public ModelManifest SparseManifest { get; }
}
