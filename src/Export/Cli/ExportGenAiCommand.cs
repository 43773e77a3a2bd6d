using System.CommandLine;
using SpeechServe.Export.Decoder;
using Spectre.Console;

namespace SpeechServe.Export.Cli;

/// <summary><c>export-genai</c>: translation adapter package -&gt; ONNX Runtime GenAI model folder.</summary>
internal static class ExportGenAiCommand
{
    public static Command Create()
    {
        var adapter = new Option<DirectoryInfo>("--adapter")
        {
            Description = "The translation adapter's package directory, e.g. models/speechfm-en-small/adapters/translate-de/1.",
            Required = true,
        };
        var output = new Option<DirectoryInfo>("--output") { Description = "Directory to create with genai_config.json, decoder.onnx and decoder_cross.onnx.", Required = true };
        var beams = new Option<int>("--num-beams") { Description = "GenAI's search.num_beams (1: greedy).", DefaultValueFactory = _ => 1 };
        var lengthPenalty = new Option<double>("--length-penalty") { Description = "GenAI's search.length_penalty.", DefaultValueFactory = _ => 1.0 };
        var force = new Option<bool>("--force") { Description = "Replace an existing output directory." };

        var command = new Command(
            "export-genai",
            "Write a translation adapter's decoder as an ONNX Runtime GenAI model (type llama; cross-attention keys and values are per-request inputs).")
        {
            adapter, output, beams, lengthPenalty, force,
        };
        command.SetAction(result => ConsoleReporter.Run("Exporting for ONNX Runtime GenAI", _ =>
        {
            var target = result.GetValue(output)!.FullName;
            var files = GenAiExporter.Export(
                result.GetValue(adapter)!.FullName, target, result.GetValue(beams), result.GetValue(lengthPenalty), result.GetValue(force));
            AnsiConsole.MarkupLine($"[green]Exported[/] to {Markup.Escape(target)}: {Markup.Escape(string.Join(", ", files))}");
        }));
        return command;
    }
}
