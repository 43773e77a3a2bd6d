using System.CommandLine;
using System.Globalization;
using SpeechServe.Export.Adaptation;
using Spectre.Console;

namespace SpeechServe.Export.Cli;

/// <summary><c>adapt</c>: a folder of audio and transcriptions + a model repository -&gt; a trained adapter package.</summary>
internal static class AdaptCommand
{
    public static Command Create()
    {
        var defaults = new AdaptationSettings();
        var data = new Option<DirectoryInfo>("--data") { Description = "Audio files and metadata.csv (file_name,transcription) or metadata.jsonl.", Required = true };
        var model = new Option<DirectoryInfo>("--model") { Description = "The model repository to adapt (models/<id>).", Required = true };
        var name = new Option<string>("--name") { Description = "The adapter's name ([a-z0-9][a-z0-9_-]{0,63}).", Required = true };
        var output = new Option<FileInfo>("--output") { Description = "The package zip to write.", Required = true };
        var budget = new Option<double>("--time-budget") { Description = "Training time in minutes.", DefaultValueFactory = _ => defaults.TimeBudget.TotalMinutes };
        var bottleneck = new Option<int?>("--bottleneck") { Description = "Adapter units per layer, at most the model's (default: the model's)." };
        var minAudio = new Option<double>("--min-audio") { Description = "Least usable audio in seconds.", DefaultValueFactory = _ => defaults.MinAudio.TotalSeconds };
        var maxUtterance = new Option<double>("--max-utterance") { Description = "Longest utterance in seconds.", DefaultValueFactory = _ => defaults.MaxUtterance.TotalSeconds };
        var devFraction = new Option<double>("--dev-fraction") { Description = "Share of the utterances held out for dev WER.", DefaultValueFactory = _ => defaults.DevFraction };
        var threads = new Option<int>("--threads") { Description = "CPU threads of the training process.", DefaultValueFactory = _ => defaults.Threads };
        var device = new Option<string>("--device") { Description = "auto (a CUDA GPU when there is one), cpu or cuda.", DefaultValueFactory = _ => defaults.Device };
        var python = new Option<string>("--python") { Description = "Python interpreter with PyTorch.", DefaultValueFactory = _ => defaults.Python };
        var upload = new Option<Uri?>("--upload") { Description = "A server's base URL: upload the package to PUT /admin/adapters/{name}." };
        var adminKey = new Option<string?>("--admin-key") { Description = "The server's admin key (default: the SPEECHSERVE_ADMIN_KEY environment variable)." };
        var activate = new Option<bool>("--activate") { Description = "Activate the uploaded version (default: stored inactive)." };
        var force = new Option<bool>("--force") { Description = "Replace an existing output file." };

        var command = new Command("adapt", "Train a domain adapter from a folder of your audio and transcriptions, starting from the model repository alone.")
        {
            data, model, name, output, budget, bottleneck, minAudio, maxUtterance, devFraction, threads, device, python, upload, adminKey, activate, force,
        };
        command.SetAction(result => ConsoleReporter.Run("Adapting", report =>
        {
            var request = new AdaptationRequest
            {
                DataDirectory = result.GetValue(data)!.FullName,
                ModelDirectory = result.GetValue(model)!.FullName,
                Name = result.GetValue(name)!,
                OutputPath = result.GetValue(output)!.FullName,
                Replace = result.GetValue(force),
                Settings = new AdaptationSettings
                {
                    TimeBudget = TimeSpan.FromMinutes(result.GetValue(budget)),
                    Bottleneck = result.GetValue(bottleneck),
                    MinAudio = TimeSpan.FromSeconds(result.GetValue(minAudio)),
                    MaxUtterance = TimeSpan.FromSeconds(result.GetValue(maxUtterance)),
                    DevFraction = result.GetValue(devFraction),
                    Threads = result.GetValue(threads),
                    Device = result.GetValue(device)!,
                    Python = result.GetValue(python)!,
                },
            };
            var uploadTo = result.GetValue(upload);
            var key = result.GetValue(adminKey) ?? Environment.GetEnvironmentVariable("SPEECHSERVE_ADMIN_KEY");
            if (uploadTo is not null && string.IsNullOrEmpty(key))
            {
                throw new Repository.ExportException("--upload needs --admin-key (or SPEECHSERVE_ADMIN_KEY).");
            }

            TrainingProgress? last = null;
            var adaptation = DomainAdaptation.RunAsync(request, progress =>
            {
                if (ProgressLine.IsMilestone(last, progress))
                {
                    report(ProgressLine.Format(progress));
                }

                last = progress;
            }).GetAwaiter().GetResult();
            var metrics = adaptation.Config.Metrics;
            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"[green]Adapted[/] {Markup.Escape(request.Name)}: dev WER {ProgressLine.Percent(metrics["dev_wer"])} (base model {ProgressLine.Percent(metrics["base_dev_wer"])}) after {adaptation.Outcome.Steps} steps in {adaptation.Outcome.TrainSeconds:0} s; wrote {Markup.Escape(request.OutputPath)}"));
            if (uploadTo is not null)
            {
                var version = PackageUploader.UploadAsync(uploadTo, key!, request.Name, request.OutputPath, result.GetValue(activate)).GetAwaiter().GetResult();
                AnsiConsole.MarkupLine($"[green]Uploaded[/] {Markup.Escape(request.Name)} version {version} to {Markup.Escape(uploadTo.ToString())}{(result.GetValue(activate) ? ", active" : ", inactive")}");
            }
        }));
        return command;
    }
}
