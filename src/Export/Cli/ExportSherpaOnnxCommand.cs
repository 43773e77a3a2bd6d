using System.CommandLine;
using SpeechServe.Export.SherpaOnnx;
using Spectre.Console;

namespace SpeechServe.Export.Cli;

/// <summary><c>export-sherpa-onnx</c>: model repository -&gt; model.onnx + tokens.txt for sherpa-onnx's offline recognizer.</summary>
internal static class ExportSherpaOnnxCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "The model repository to convert (models/<id>).", Required = true };
        var output = new Option<DirectoryInfo>("--output") { Description = "Directory to create with model.onnx and tokens.txt.", Required = true };
        var adapter = new Option<string?>("--adapter") { Description = "Fold in this adapter of the repository (its newest version); default: the base model." };
        var gain = new Option<float>("--input-gain")
        {
            Description = "Factor applied to sherpa-onnx's unit-variance samples before the frontend.",
            DefaultValueFactory = _ => SherpaOnnxExportRequest.DefaultInputGain,
        };
        var force = new Option<bool>("--force") { Description = "Replace an existing output directory." };

        var command = new Command(
            "export-sherpa-onnx",
            "Write the CTC model as a sherpa-onnx offline model (config field 'omnilingual'): raw samples in, log-probabilities out, log-mel frontend inside.")
        {
            model, output, adapter, gain, force,
        };
        command.SetAction(result => ConsoleReporter.Run("Exporting for sherpa-onnx", progress =>
        {
            var request = new SherpaOnnxExportRequest
            {
                ModelDirectory = result.GetValue(model)!.FullName,
                OutputDirectory = result.GetValue(output)!.FullName,
                Adapter = result.GetValue(adapter),
                InputGain = result.GetValue(gain),
                Replace = result.GetValue(force),
            };
            var metadata = SherpaOnnxExporter.Export(request, progress);
            AnsiConsole.MarkupLine(
                $"[green]Exported[/] {Markup.Escape(metadata["model_id"])} (adapter {Markup.Escape(metadata["adapter"])}) to {Markup.Escape(request.OutputDirectory)}: "
                + $"{SherpaOnnxExporter.ModelFile}, {SherpaOnnxExporter.TokensFile}");
        }));
        return command;
    }
}
