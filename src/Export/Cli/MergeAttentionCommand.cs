using System.CommandLine;
using SpeechServe.Export.Merging;
using Spectre.Console;

namespace SpeechServe.Export.Cli;

/// <summary><c>merge-attention</c>: a model repository + a text model's attention -&gt; a new model repository with its own base.</summary>
internal static class MergeAttentionCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "The model repository to merge into (models/<id>); it is only read.", Required = true };
        var textAttention = new Option<FileInfo>("--text-attention") { Description = "The text model's attention (text_attention.safetensors of training/train_text_attention.py).", Required = true };
        var factor = new Option<double>("--factor") { Description = "Merge factor a: Q/K/V become (1 - a) * speech + a * text.", Required = true };
        var layers = new Option<string>("--layers") { Description = "'all' or comma-separated encoder layers (0-based) to merge.", DefaultValueFactory = _ => "all" };
        var output = new Option<DirectoryInfo>("--output") { Description = "Model repository directory to create, e.g. models/<id>.", Required = true };
        var id = new Option<string>("--id") { Description = "The new model's id.", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace an existing output directory." };

        var command = new Command("merge-attention", "Merge a text model's attention (Q/K/V) into a model repository's encoder (MAM) and write it as a new model with its own base_sha256; adapters are not copied.")
        {
            model, textAttention, factor, layers, output, id, force,
        };
        command.SetAction(result => ConsoleReporter.Run("Merging", progress =>
        {
            var request = new AttentionMergeRequest
            {
                ModelDirectory = result.GetValue(model)!.FullName,
                TextAttentionPath = result.GetValue(textAttention)!.FullName,
                Factor = result.GetValue(factor),
                Layers = result.GetValue(layers),
                OutputDirectory = result.GetValue(output)!.FullName,
                ModelId = result.GetValue(id)!,
                Replace = result.GetValue(force),
            };
            var merged = AttentionMergeExporter.Export(request, progress);
            AnsiConsole.MarkupLine($"[green]Merged[/] into {Markup.Escape(merged.Source.Id)}: wrote {Markup.Escape(merged.Manifest.Id)} to {Markup.Escape(request.OutputDirectory)} (base_sha256 {merged.Manifest.BaseSha256[..16]}…)");
            ConsoleReporter.PrintFiles(request.OutputDirectory, merged.Manifest.Files);
            foreach (var line in AdapterNotice(merged))
            {
                AnsiConsole.MarkupLine(Markup.Escape(line));
            }
        }));
        return command;
    }

    private static IEnumerable<string> AdapterNotice(AttentionMergeResult merged)
    {
        if (merged.SourceAdapters.Count == 0)
        {
            yield break;
        }

        var (source, target) = (merged.Source, merged.Manifest);
        yield return $"Adapters not copied: {string.Join(", ", merged.SourceAdapters)} of {source.Id}.";
        yield return merged.BaseChanged
            ? $"They are bound to base_sha256 {source.BaseSha256[..16]}…, and the server refuses them for {target.Id}; retrain them on {target.Id} with 'adapt' (or train_adapter.py and 'export-adapter')."
            : $"The factor left the base unchanged (the same base_sha256), so they still load on {target.Id}: upload them as they are.";
    }
}
