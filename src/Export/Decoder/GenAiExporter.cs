using Google.Protobuf;
using SpeechServe.Export.Onnx.Proto;
using SpeechServe.Export.Repository;
using SpeechServe.Runtime.Models;

namespace SpeechServe.Export.Decoder;

/// <summary>
/// Writes a translation adapter's decoder as an ONNX Runtime GenAI model folder (docs/decoding.md, "ONNX Runtime
/// GenAI"): <c>genai_config.json</c>, <c>decoder.onnx</c> in GenAI's names (<see cref="GenAiDecoderGraph"/>) and the
/// adapter's <c>decoder_cross.onnx</c> as it is, whose keys and values the caller feeds to the generator.
/// </summary>
public static class GenAiExporter
{
    /// <summary>Exports the adapter package in <paramref name="adapterDirectory"/> into <paramref name="outputDirectory"/>.</summary>
    /// <param name="adapterDirectory">A translation adapter's package directory (adapter_config.json, decoder.onnx, decoder_cross.onnx).</param>
    /// <param name="outputDirectory">Created; must not exist unless <paramref name="replace"/>.</param>
    /// <param name="numBeams">GenAI's <c>search.num_beams</c>: 1 decodes greedily.</param>
    /// <param name="lengthPenalty">GenAI's <c>search.length_penalty</c>.</param>
    /// <param name="replace">Replace an existing output directory.</param>
    /// <returns>The written files, relative to <paramref name="outputDirectory"/>.</returns>
    /// <exception cref="ExportException">The package is not a translation adapter, or the output exists.</exception>
    public static IReadOnlyList<string> Export(string adapterDirectory, string outputDirectory, int numBeams = 1, double lengthPenalty = 1.0, bool replace = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numBeams, 1);
        var configPath = Path.Combine(adapterDirectory, AdapterConfig.FileName);
        if (!File.Exists(configPath))
        {
            throw new ExportException($"{adapterDirectory} has no {AdapterConfig.FileName}; pass an adapter package directory (models/<id>/adapters/<name>/<version>).");
        }

        var translation = AdapterConfig.Parse(File.ReadAllBytes(configPath)).Translation
            ?? throw new ExportException($"{configPath} is not a translation adapter: GenAI runs only attention decoders.");
        if (Directory.Exists(outputDirectory))
        {
            if (!replace)
            {
                throw new ExportException($"{outputDirectory} exists; pass --force to replace it.");
            }

            Directory.Delete(outputDirectory, recursive: true);
        }

        var step = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(adapterDirectory, AdapterConfig.DecoderFileName)));
        var (graph, shape) = GenAiDecoderGraph.FromStepGraph(step);
        Directory.CreateDirectory(outputDirectory);
        File.WriteAllBytes(Path.Combine(outputDirectory, AdapterConfig.DecoderFileName), graph.ToByteArray());
        File.Copy(Path.Combine(adapterDirectory, AdapterConfig.DecoderCrossFileName), Path.Combine(outputDirectory, AdapterConfig.DecoderCrossFileName));
        File.WriteAllText(
            Path.Combine(outputDirectory, GenAiConfig.FileName),
            GenAiConfig.Create(AdapterConfig.DecoderFileName, shape, translation.Vocabulary.Count, translation.MaxPositions, numBeams, lengthPenalty));
        return [GenAiConfig.FileName, AdapterConfig.DecoderFileName, AdapterConfig.DecoderCrossFileName];
    }
}
