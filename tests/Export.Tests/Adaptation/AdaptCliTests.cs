using SpeechServe.Export.Tests.Onnx;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Tensors;
using SpeechServe.Tests.Support;

namespace SpeechServe.Export.Tests.Adaptation;

/// <summary>The <c>adapt</c> command end to end: espeak-ng speech in, PyTorch training, a package with metrics out.</summary>
public sealed class AdaptCliTests : IDisposable
{
    private static readonly string ShippedModel = Path.Combine(TrainingScripts.RepositoryRoot, "models", "speechfm-en-small");

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Adapt_SpokenDataset_WritesAPackageWithDevWerMetricsAndPaddedBottleneck()
    {
        var data = _directory.File("data");
        SpokenDataset.Write(data, 12);
        var output = _directory.File("spoken.zip");

        var (code, stdout, stderr) = ExportCli.Run(
            "adapt", "--data", data, "--model", ShippedModel, "--name", "spoken", "--output", output,
            "--time-budget", "0.15", "--min-audio", "10", "--bottleneck", "8", "--threads", "1");

        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("Checking the dataset: row 12 of 12", stdout, StringComparison.Ordinal);
        Assert.Matches(@"step \d+ epoch \d+ loss \d+\.\d{3} dev WER", stdout);
        Assert.Matches(@"Adapted spoken: dev WER \d+\.\d% \(base model \d+\.\d%\)", stdout);
        var entries = PackageZip.Entries(File.ReadAllBytes(output)).ToDictionary(e => e.Name, e => e.Content);
        var config = AdapterConfig.Parse(entries[AdapterConfig.FileName]);
        var manifest = ModelManifest.Parse(File.ReadAllBytes(Path.Combine(ShippedModel, "model.json")));
        Assert.Equal(("spoken", manifest.Id, manifest.BaseSha256, 16), (config.Name, config.BaseModel, config.BaseSha256, config.BottleneckSize));
        Assert.InRange(config.Metrics["base_dev_wer"], 0.0, 2.0);
        Assert.InRange(config.Metrics["dev_wer"], 0.0, 2.0);
        Assert.True(config.Metrics["steps"] > 0);
        Assert.Equal(8, config.Metrics["bottleneck_trained"]);
        Assert.Equal(12, config.Metrics["train_utterances"] + config.Metrics["dev_utterances"]);

        var tensors = SafetensorsReader.Read(entries[AdapterConfig.WeightsFileName]).Tensors;
        var up = tensors["adapters.spoken.layers.0.up.weight"];
        Assert.Equal([192L, 16L], up.Shape.ToArray());
        var values = up.ToFloat32();
        Assert.All(Enumerable.Range(0, 192), row => Assert.All(values[((row * 16) + 8)..((row * 16) + 16)], v => Assert.Equal(0f, v)));
        Assert.Contains(values, v => v != 0f);
    }

    [Fact]
    public void Adapt_BadRow_ExitsOneNamingTheLineBeforeTraining()
    {
        var data = _directory.File("data");
        SpokenDataset.Write(data, 2);
        File.AppendAllText(Path.Combine(data, "metadata.csv"), "audio/none.wav,nothing here\n");

        var (code, _, stderr) = ExportCli.Run("adapt", "--data", data, "--model", ShippedModel, "--name", "spoken", "--output", _directory.File("x.zip"));

        Assert.Equal(1, code);
        Assert.Contains("1 of 3 rows cannot be used", stderr, StringComparison.Ordinal);
        Assert.Contains("line 4 (audio/none.wav): the audio file does not exist.", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_directory.File("x.zip")));
    }
}
