using System.CommandLine;
using SpeechServe.Export.Repository;
using SpeechServe.Runtime.Decoding;
using SpeechServe.Runtime.Models;
using Spectre.Console;

namespace SpeechServe.Export.Cli;

/// <summary><c>export</c>: checkpoint + architecture config -&gt; model repository.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<FileInfo>("--checkpoint") { Description = "Trained checkpoint (TorchSharp Module.save or safetensors).", Required = true };
        var format = CheckpointFormatOption.Create();
        var config = new Option<FileInfo>("--config") { Description = "Architecture JSON (training/configs/*.json).", Required = true };
        var tokens = new Option<FileInfo?>("--tokens") { Description = "Vocabulary, one token per line; default: the reference vocabulary of docs/model.md." };
        var output = new Option<DirectoryInfo>("--output") { Description = "Model repository directory to create, e.g. models/<id>.", Required = true };
        var id = new Option<string>("--id") { Description = "Model id clients pass as 'model'.", Required = true };
        var quantize = new Option<string?>("--quantize") { Description = "Also write encoder.int8.onnx with dynamic int8 weights." };
        quantize.AcceptOnlyFromAmong("int8");
        var sparseInitializers = new Option<bool>("--sparse-initializers") { Description = "Store weights that are mostly zeros (a pruned model's) as ONNX sparse initializers: smaller files, the same results." };
        var languageModel = new Option<FileInfo?>("--language-model") { Description = "Word n-gram language model (ARPA) to decode with; copied as lm.arpa (docs/decoding.md)." };
        var lmWeight = new Option<double>("--lm-weight") { Description = "Language-model weight (at least 0).", DefaultValueFactory = _ => 0.8 };
        var wordBonus = new Option<double>("--word-bonus") { Description = "Score added per word.", DefaultValueFactory = _ => 0 };
        var lmBeamWidth = new Option<int>("--lm-beam-width") { Description = "Beam width of the language-model search.", DefaultValueFactory = _ => 32 };
        var oovPenalty = new Option<double?>("--oov-penalty") { Description = "Turns on the unknown-word path: words outside the lexicon, scored as <unk> less this penalty (at least 0)." };
        var unknownLog10Prob = new Option<double>("--unknown-log10-prob") { Description = "log10 probability of an unknown word when the language model has no <unk>.", DefaultValueFactory = _ => UnknownWordOptions.DefaultUnknownLog10Probability };
        var force = new Option<bool>("--force") { Description = "Replace an existing output directory." };

        var command = new Command("export", "Convert a checkpoint into a model repository: encoder.onnx, tokens.txt, base head, adapters, model.json.")
        {
            checkpoint, format, config, tokens, output, id, quantize, sparseInitializers, languageModel, lmWeight, wordBonus, lmBeamWidth, oovPenalty, unknownLog10Prob, force,
        };
        command.Validators.Add(result =>
        {
            if (result.GetResult(languageModel) is null
                && new Option[] { lmWeight, wordBonus, lmBeamWidth, oovPenalty }.FirstOrDefault(o => result.GetResult(o) is { Implicit: false }) is { } orphan)
            {
                result.AddError($"{orphan.Name} needs --language-model.");
            }

            if (result.GetResult(oovPenalty) is null && result.GetResult(unknownLog10Prob) is { Implicit: false })
            {
                result.AddError($"{unknownLog10Prob.Name} needs --oov-penalty.");
            }
        });
        command.SetAction(result => ConsoleReporter.Run("Exporting", progress =>
        {
            var request = new ModelExportRequest
            {
                CheckpointPath = result.GetValue(checkpoint)!.FullName,
                Format = CheckpointFormatOption.Parse(result.GetValue(format)!),
                Architecture = EncoderArchitecture.Load(result.GetValue(config)!.FullName),
                TokensPath = result.GetValue(tokens)?.FullName,
                OutputDirectory = result.GetValue(output)!.FullName,
                ModelId = result.GetValue(id)!,
                QuantizeInt8 = result.GetValue(quantize) == "int8",
                SparseInitializers = result.GetValue(sparseInitializers),
                LanguageModel = result.GetValue(languageModel) is { } lm
                    ? new LanguageModelExport
                    {
                        Path = lm.FullName,
                        Weight = result.GetValue(lmWeight),
                        WordBonus = result.GetValue(wordBonus),
                        BeamWidth = result.GetValue(lmBeamWidth),
                        UnknownWords = result.GetValue(oovPenalty) is { } penalty
                            ? new UnknownWordOptions { Penalty = penalty, UnknownLog10Probability = result.GetValue(unknownLog10Prob) }
                            : null,
                    }
                    : null,
                Replace = result.GetValue(force),
            };
            var manifest = ModelRepositoryExporter.Export(request, progress);
            AnsiConsole.MarkupLine($"[green]Exported[/] {Markup.Escape(manifest.Id)} to {Markup.Escape(request.OutputDirectory)} (base_sha256 {manifest.BaseSha256[..16]}…)");
            ConsoleReporter.PrintFiles(request.OutputDirectory, manifest.Files);
        }));
        return command;
    }
}
