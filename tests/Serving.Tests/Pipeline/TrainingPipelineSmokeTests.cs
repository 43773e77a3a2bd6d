using System.IO.Compression;
using System.Text.Json;
using SpeechServe.Export.Repository;
using SpeechServe.Runtime.Models;
using SpeechServe.Serving.Tests.Support;
using SpeechServe.Tests.Support;

namespace SpeechServe.Serving.Tests.Pipeline;

/// <summary>
/// The whole model pipeline at smoke scale, through the same scripts and exporter as the shipped model:
/// synthesise a few seconds of every data set (German speech translation included), run <c>training/run_all.sh</c>
/// for one epoch per stage, export the final TorchSharp checkpoint with its int8 encoder and the run's word language
/// model, and the translation adapter with its decoder, serve them with the real server, transcribe held-out audio
/// with the base model and an adapter and translate held-out German. One epoch teaches the model nothing, so the test
/// checks that every stage hands the next one something it accepts, not the words; with the language model every
/// word of a transcript must still be one of the training text's words, and every word of a translation one of the
/// decoder's vocabulary.
/// </summary>
public sealed class TrainingPipelineSmokeTests
{
    private const string ModelId = "speechfm-smoke";
    private static readonly string[] Adapters = ["accent", "far-field", "telephony"];

    [Fact]
    public async Task Pipeline_TinyData_SynthesisesTrainsExportsServesAndTranscribes()
    {
        using var scratch = new ScratchDirectory("speechserve-pipeline");
        var data = scratch.File("data");
        var run = scratch.File("run");

        TrainingScripts.Run(
            Path.Combine("data", "synthesize.py"),
            "--out", data, "--pretrain-hours", "0.004", "--general-hours", "0.006", "--extra-hours", "0.004", "--adapter-minutes", "0.25",
            "--eval-minutes", "0.25", "--noise-seconds", "4", "--babble-utterances", "3", "--no-progress",
            "--domains", "general,telephony,far-field,accent,translate-de", "--translation-minutes", "0.25");
        await RunTrainingAsync(data, run);

        var models = scratch.File("models");
        ModelRepositoryExporter.Export(new ModelExportRequest
        {
            CheckpointPath = Path.Combine(run, "reference.ckpt"),
            Architecture = EncoderArchitecture.Load(Path.Combine(TrainingScripts.RepositoryRoot, "training", "configs", "reference.json")),
            OutputDirectory = Path.Combine(models, ModelId),
            ModelId = ModelId,
            QuantizeInt8 = true,
            LanguageModel = new LanguageModelExport { Path = Path.Combine(run, "lm.arpa") },
        });
        AdapterExporter.Export(new AdapterExportRequest
        {
            CheckpointPath = Path.Combine(run, "translation", "de", "adapter.safetensors"),
            DecoderPath = Path.Combine(run, "translation", "de", "decoder.safetensors"),
            ModelDirectory = Path.Combine(models, ModelId),
            OutputPath = scratch.File("translate-de.zip"),
        });
        ZipFile.ExtractToDirectory(scratch.File("translate-de.zip"), Path.Combine(models, ModelId, "adapters", "translate-de", "1"));
        var lexicon = File.ReadLines(Path.Combine(data, "sentences", "train.txt")).SelectMany(s => s.Split(' ')).ToHashSet();
        var translationVocabulary = File.ReadLines(Path.Combine(run, "translation", "de", "vocab.txt")).ToHashSet();

        await using var server = await ServingProcess.StartAsync(
            new Dictionary<string, string> { ["Serving__ModelsPath"] = models }, TimeSpan.FromSeconds(60));
        using var client = server.CreateClient();
        using (var list = JsonDocument.Parse(await client.GetStringAsync(new Uri("/v1/models", UriKind.Relative))))
        {
            Assert.Equal(
                [ModelId, .. Adapters, "translate-de"], // adapters in name order
                list.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        }

        await AssertTranscribesAsync(client, server, ModelId, FirstTestUtterance(data, "general"), lexicon);
        await AssertTranscribesAsync(client, server, "telephony", FirstTestUtterance(data, "telephony"), lexicon);

        using var translation = await TranscriptionUpload.PostTranslationAsync(client, await File.ReadAllBytesAsync(FirstTestUtterance(data, "translate-de")), "translate-de");
        var translated = await translation.Content.ReadAsStringAsync();
        Assert.True(translation.IsSuccessStatusCode, $"translate-de: {(int)translation.StatusCode} {translated}\n{server.Output}");
        using var translatedJson = JsonDocument.Parse(translated);
        Assert.All(translatedJson.RootElement.GetProperty("text").GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries), word => Assert.Contains(word, translationVocabulary));
    }

    private static int TrainedUtterances(string run, string stage)
    {
        using var done = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, stage, "done.json")));
        return done.RootElement.GetProperty("utterances").GetInt32();
    }

    private static async Task RunTrainingAsync(string data, string run)
    {
        var result = await ExternalTool.RunAsync(
            "env",
            [$"DATA={data}", $"RUN={run}", "PRETRAIN_EPOCHS=1", "CTC_EPOCHS=1", "MC_EPOCHS=1", "OPEN_EPOCHS=1", "ADAPTER_EPOCHS=1", "TRANSLATION_EPOCHS=1", "DOC=", "sh", "training/run_all.sh"],
            TrainingScripts.RepositoryRoot,
            TimeSpan.FromMinutes(4));
        var log = Path.Combine(run, "run_all.log");
        Assert.True(
            result.ExitCode == 0,
            $"run_all.sh exited with {result.ExitCode}:\n{result.StandardOutput}\n{(File.Exists(log) ? File.ReadAllText(log) : result.StandardError)}");
        Assert.True(File.Exists(Path.Combine(run, "reference.ckpt")), "run_all.sh did not write reference.ckpt");
        Assert.True(File.Exists(Path.Combine(run, "ctc-scratch", "done.json")), "run_all.sh did not train the ablation");
        Assert.True(
            TrainedUtterances(run, "ctc-open") > TrainedUtterances(run, "ctc-mc"),
            "the open-text stage did not train on general/extra as well as general/train");
        Assert.True(File.Exists(Path.Combine(run, "eval", "results.json")), "run_all.sh did not evaluate");
        Assert.True(File.Exists(Path.Combine(run, "lm.arpa")), "run_all.sh did not build the language model");
        Assert.True(File.Exists(Path.Combine(run, "translation", "de", "done.json")), "run_all.sh did not train the translation adapter");
        Assert.True(File.Exists(Path.Combine(run, "translation", "eval.json")), "run_all.sh did not evaluate the translation adapter");
    }

    private static string FirstTestUtterance(string data, string domain)
    {
        var manifest = Path.Combine(data, domain, "test.jsonl");
        using var entry = JsonDocument.Parse(File.ReadLines(manifest).First());
        return Path.Combine(data, domain, entry.RootElement.GetProperty("audio").GetString()!);
    }

    private static async Task AssertTranscribesAsync(HttpClient client, ServingProcess server, string model, string wavPath, IReadOnlySet<string> lexicon)
    {
        using var response = await TranscriptionUpload.PostAsync(client, await File.ReadAllBytesAsync(wavPath), model);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{model}: {(int)response.StatusCode} {body}\n{server.Output}");
        using var document = JsonDocument.Parse(body);
        var words = document.RootElement.GetProperty("text").GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(words, word => Assert.Contains(word, lexicon));
        Assert.Equal(ModelId, Assert.Single(response.Headers.GetValues("X-SpeechServe-Model")));
    }
}
