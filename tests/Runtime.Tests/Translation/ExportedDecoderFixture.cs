using Google.Protobuf;
using SpeechServe.Export.Decoder;
using SpeechServe.Runtime.Tensors;
using SpeechServe.Runtime.Translation;
using SpeechServe.Tests.Support;

namespace SpeechServe.Runtime.Tests.Translation;

/// <summary>
/// Two seeded random translation decoders (training/dump_decoder_golden.py, the encoder's width) exported by the
/// real exporter, and the PyTorch golden vectors of the first, in a temporary directory.
/// </summary>
public sealed class ExportedDecoderFixture : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "speechserve-translation-tests-" + Guid.NewGuid().ToString("N"));

    public ExportedDecoderFixture()
    {
        Directory.CreateDirectory(_directory);
        (Head, Golden) = Export(seed: 7, vocabularySize: 40);
        (OtherHead, _) = Export(seed: 11, vocabularySize: 30);
    }

    /// <summary>The decoder the golden vectors describe.</summary>
    public TranslationHead Head { get; }

    /// <summary>A second decoder with another seed and vocabulary.</summary>
    public TranslationHead OtherHead { get; }

    /// <summary><c>encoder_out</c>, <c>encoder_lengths</c>, <c>greedy.ids</c> and the rest of dump_decoder_golden.py's output.</summary>
    public SafetensorsFile Golden { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private (TranslationHead Head, SafetensorsFile Golden) Export(int seed, int vocabularySize)
    {
        var decoderPath = Path.Combine(_directory, $"decoder-{seed}.safetensors");
        var goldenPath = Path.Combine(_directory, $"golden-{seed}.safetensors");
        TrainingScripts.Run(
            "dump_decoder_golden.py", "--make-random", "--seed", $"{seed}", "--vocab-size", $"{vocabularySize}", "--decoder", decoderPath, "--output", goldenPath);
        var decoder = DecoderCheckpoint.Read(decoderPath);
        var head = new TranslationHead(
            DecoderCrossGraph.Build(decoder).ToByteArray(), DecoderStepGraph.Build(decoder).ToByteArray(), decoder.Vocabulary,
            decoder.Architecture.MaxPositions, "en");
        return (head, SafetensorsReader.ReadFile(goldenPath));
    }
}
