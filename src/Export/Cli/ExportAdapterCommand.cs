using System.CommandLine;
using SpeechServe.Export.Repository;
using Spectre.Console;

namespace SpeechServe.Export.Cli;

/// <summary><c>export-adapter</c>: adapter checkpoint + model repository -&gt; adapter package zip.</summary>
internal static class ExportAdapterCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<FileInfo>("--checkpoint") { Description = "Adapter checkpoint (adapters.<name>.* tensors), or a full checkpoint of the same base model.", Required = true };
        var format = CheckpointFormatOption.Create();
        var model = new Option<DirectoryInfo>("--model") { Description = "The model repository the adapter was trained on (models/<id>).", Required = true };
        var output = new Option<FileInfo>("--output") { Description = "The package zip to write.", Required = true };
        var name = new Option<string?>("--name") { Description = "Adapter name; selects the domain when the checkpoint holds several." };
        var decoder = new Option<FileInfo?>("--decoder") { Description = "Translation decoder (decoder.safetensors of train_translation.py): makes the package a translation adapter." };
        var force = new Option<bool>("--force") { Description = "Replace an existing output file." };

        var command = new Command("export-adapter", "Pack one domain adapter as a zip bound to a base model's hash, for PUT /admin/adapters/{name}.")
        {
            checkpoint, format, model, output, name, decoder, force,
        };
        command.SetAction(result => ConsoleReporter.Run("Packing adapter", progress =>
        {
            var request = new AdapterExportRequest
            {
                CheckpointPath = result.GetValue(checkpoint)!.FullName,
                Format = CheckpointFormatOption.Parse(result.GetValue(format)!),
                ModelDirectory = result.GetValue(model)!.FullName,
                OutputPath = result.GetValue(output)!.FullName,
                Name = result.GetValue(name),
                DecoderPath = result.GetValue(decoder)?.FullName,
                Replace = result.GetValue(force),
            };
            var config = AdapterExporter.Export(request, progress);
            AnsiConsole.MarkupLine(
                $"[green]Packed[/] {(config.Translation is null ? string.Empty : $"{config.Language}->{config.Translation.TargetLanguage} translation ")}adapter {Markup.Escape(config.Name)} for {Markup.Escape(config.BaseModel)} (base_sha256 {config.BaseSha256[..16]}…) to {Markup.Escape(request.OutputPath)}");
        }));
        return command;
    }
}
