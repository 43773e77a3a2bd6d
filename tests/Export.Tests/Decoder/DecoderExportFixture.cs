using Google.Protobuf;
using SpeechServe.Export.Decoder;
using SpeechServe.Export.Tests.Onnx;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Onnx;
using SpeechServe.Runtime.Tensors;
using SpeechServe.Tests.Support;

namespace SpeechServe.Export.Tests.Decoder;

/// <summary>
/// Shared by the decoder export tests: a seeded random decoder.safetensors and its golden vectors from
/// training/dump_decoder_golden.py, and both decoder graphs exported from it, in one temporary directory.
/// </summary>
public sealed class DecoderExportFixture : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly Lazy<OnnxEnvironment> _environment = new(() => OnnxEnvironment.Create());

    /// <summary>Generates the decoder and golden vectors and exports the graphs.</summary>
    public DecoderExportFixture()
    {
        DecoderPath = _directory.File("decoder.safetensors");
        var golden = _directory.File("decoder_golden.safetensors");
        TrainingScripts.Run("dump_decoder_golden.py", "--make-random", "--decoder", DecoderPath, "--output", golden);
        Golden = SafetensorsReader.ReadFile(golden);

        Decoder = DecoderCheckpoint.Read(DecoderPath);
        CrossGraphPath = _directory.File(AdapterConfig.DecoderCrossFileName);
        StepGraphPath = _directory.File(AdapterConfig.DecoderFileName);
        File.WriteAllBytes(CrossGraphPath, DecoderCrossGraph.Build(Decoder).ToByteArray());
        File.WriteAllBytes(StepGraphPath, DecoderStepGraph.Build(Decoder).ToByteArray());
    }

    /// <summary>The random decoder checkpoint, as train_translation.py would write it.</summary>
    public string DecoderPath { get; }

    /// <summary>The decoder as the exporter read it.</summary>
    public DecoderCheckpoint Decoder { get; }

    /// <summary>The golden vectors and their metadata.</summary>
    public SafetensorsFile Golden { get; }

    /// <summary>The exported <c>decoder_cross.onnx</c>.</summary>
    public string CrossGraphPath { get; }

    /// <summary>The exported <c>decoder.onnx</c>.</summary>
    public string StepGraphPath { get; }

    /// <summary>The process's ONNX Runtime environment.</summary>
    public OnnxEnvironment Environment => _environment.Value;

    /// <summary>A fresh directory for a test's own outputs, inside the fixture's.</summary>
    public string NewDirectory()
    {
        var path = Path.Combine(_directory.Path, "t-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_environment.IsValueCreated)
        {
            _environment.Value.Dispose();
        }

        _directory.Dispose();
    }
}

/// <summary>The decoder export tests share one <see cref="DecoderExportFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class DecoderExportGroup : ICollectionFixture<DecoderExportFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "decoder export";
}
