using System.IO.Compression;
using SpeechServe.Export.Repository;
using SpeechServe.Tests.Support;

namespace SpeechServe.Export.Tests.Encoder;

/// <summary>The <c>speechserve-export</c> executable: arguments, exit codes and error output.</summary>
[Collection(EncoderExportGroup.Name)]
public sealed class ExportCliTests(EncoderExportFixture fixture)
{
    private static readonly string Config = Path.Combine(TrainingScripts.RepositoryRoot, "training", "configs", "reference.json");

    [Fact]
    public void Export_GoodCheckpoint_ExitsZeroAndWritesTheRepository()
    {
        var output = Path.Combine(fixture.NewDirectory(), "cli");

        var (code, stdout, stderr) = ExportCli.Run("export", "--checkpoint", fixture.SafetensorsCheckpoint, "--format", "safetensors", "--config", Config, "--output", output, "--id", "cli-model");

        Assert.True(code == 0, stderr);
        Assert.Contains("Exported cli-model", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, RepositoryLayout.Manifest)));
        Assert.False(File.Exists(Path.Combine(output, RepositoryLayout.EncoderInt8)));
    }

    [Fact]
    public void Export_TruncatedCheckpoint_ExitsOneWithTheReasonOnStandardError()
    {
        var directory = fixture.NewDirectory();
        var checkpoint = Path.Combine(directory, "cut.safetensors");
        File.WriteAllBytes(checkpoint, File.ReadAllBytes(fixture.SafetensorsCheckpoint)[..4096]);

        var (code, _, stderr) = ExportCli.Run("export", "--checkpoint", checkpoint, "--config", Config, "--output", Path.Combine(directory, "out"), "--id", "m");

        Assert.Equal(1, code);
        Assert.StartsWith("error: Safetensors checkpoint cut.safetensors is malformed", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(directory, "out")));
    }

    [Fact]
    public void Export_LanguageModel_CopiesItAsLmArpaWithItsChecksumAndSettings()
    {
        var directory = fixture.NewDirectory();
        var arpa = ShippedLanguageModel.WritePlain(Path.Combine(directory, "words.arpa"));
        var output = Path.Combine(directory, "lm");

        var (code, _, stderr) = ExportCli.Run(
            "export", "--checkpoint", fixture.SafetensorsCheckpoint, "--config", Config, "--output", output, "--id", "lm-model",
            "--language-model", arpa, "--lm-weight", "0.5", "--word-bonus", "1.5", "--lm-beam-width", "16");

        Assert.True(code == 0, stderr);
        var manifest = Runtime.Models.ModelManifest.Parse(File.ReadAllBytes(Path.Combine(output, RepositoryLayout.Manifest)));
        Assert.Equal(new Runtime.Models.LanguageModelConfig { File = RepositoryLayout.LanguageModel, Weight = 0.5, WordBonus = 1.5, BeamWidth = 16 }, manifest.LanguageModel);
        Assert.Equal(File.ReadAllBytes(arpa), File.ReadAllBytes(Path.Combine(output, RepositoryLayout.LanguageModel)));
        Assert.Equal(Sha256.OfFile(arpa), manifest.Files[RepositoryLayout.LanguageModel]);
    }

    [Fact]
    public void Export_GzipLanguageModel_ShipsItCompressedAsLmArpaGz()
    {
        var directory = fixture.NewDirectory();
        var compressed = Path.Combine(directory, "words.arpa.gz");
        using (var gzip = new GZipStream(File.Create(compressed), CompressionLevel.Optimal))
        {
            gzip.Write(File.ReadAllBytes(ShippedLanguageModel.WritePlain(Path.Combine(directory, "words.arpa"))));
        }

        var output = Path.Combine(directory, "out");

        var (code, _, stderr) = ExportCli.Run(
            "export", "--checkpoint", fixture.SafetensorsCheckpoint, "--config", Config, "--output", output, "--id", "gz-model",
            "--language-model", compressed);

        Assert.True(code == 0, stderr);
        var manifest = Runtime.Models.ModelManifest.Parse(File.ReadAllBytes(Path.Combine(output, RepositoryLayout.Manifest)));
        Assert.Equal(RepositoryLayout.CompressedLanguageModel, manifest.LanguageModel!.File);
        Assert.Equal(File.ReadAllBytes(compressed), File.ReadAllBytes(Path.Combine(output, RepositoryLayout.CompressedLanguageModel)));
        Assert.Equal(Sha256.OfFile(compressed), manifest.Files[RepositoryLayout.CompressedLanguageModel]);
        Assert.False(File.Exists(Path.Combine(output, RepositoryLayout.LanguageModel)));
    }

    [Fact]
    public void Export_OovPenalty_WritesTheUnknownWordSettings()
    {
        var arpa = ShippedLanguageModel.FilePath;
        var output = Path.Combine(fixture.NewDirectory(), "oov");

        var (code, _, stderr) = ExportCli.Run(
            "export", "--checkpoint", fixture.SafetensorsCheckpoint, "--config", Config, "--output", output, "--id", "oov-model",
            "--language-model", arpa, "--oov-penalty", "4", "--unknown-log10-prob", "-6");

        Assert.True(code == 0, stderr);
        var manifest = Runtime.Models.ModelManifest.Parse(File.ReadAllBytes(Path.Combine(output, RepositoryLayout.Manifest)));
        Assert.Equal(new Runtime.Decoding.UnknownWordOptions { Penalty = 4, UnknownLog10Probability = -6 }, manifest.LanguageModel!.UnknownWords);
    }

    [Fact]
    public void Export_UnknownLog10ProbWithoutOovPenalty_IsAUsageError()
    {
        var arpa = ShippedLanguageModel.FilePath;

        var (code, _, stderr) = ExportCli.Run(
            "export", "--checkpoint", fixture.SafetensorsCheckpoint, "--config", Config, "--output", Path.Combine(fixture.NewDirectory(), "o"), "--id", "m",
            "--language-model", arpa, "--unknown-log10-prob", "-6");

        Assert.NotEqual(0, code);
        Assert.Contains("--unknown-log10-prob needs --oov-penalty", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_MalformedLanguageModel_ExitsOneNamingTheLineAndWritesNothing()
    {
        var directory = fixture.NewDirectory();
        var arpa = Path.Combine(directory, "bad.arpa");
        File.WriteAllText(arpa, "\\data\\\nngram 1=2\n\n\\1-grams:\n-1 <s>\nx </s>\n\\end\\\n");

        var (code, _, stderr) = ExportCli.Run(
            "export", "--checkpoint", fixture.SafetensorsCheckpoint, "--config", Config, "--output", Path.Combine(directory, "out"), "--id", "m", "--language-model", arpa);

        Assert.Equal(1, code);
        Assert.Contains("--language-model bad.arpa: bad.arpa line 6: the probability 'x' is not a number", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(directory, "out")));
    }

    [Fact]
    public void Export_LanguageModelSettingWithoutModel_IsAUsageError()
    {
        var directory = fixture.NewDirectory();

        var (code, _, stderr) = ExportCli.Run("export", "--checkpoint", fixture.SafetensorsCheckpoint, "--config", Config, "--output", Path.Combine(directory, "o"), "--id", "m", "--lm-weight", "1");

        Assert.NotEqual(0, code);
        Assert.Contains("--lm-weight needs --language-model", stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(directory));
    }

    [Theory]
    [InlineData("--quantize", "int4")]
    [InlineData("--format", "pickle")]
    public void Export_InvalidOptionValue_IsAUsageError(string option, string value)
    {
        var directory = fixture.NewDirectory();

        var (code, _, _) = ExportCli.Run("export", "--checkpoint", fixture.SafetensorsCheckpoint, "--config", Config, "--output", Path.Combine(directory, "o"), "--id", "m", option, value);

        Assert.NotEqual(0, code);
        Assert.Empty(Directory.EnumerateFileSystemEntries(directory));
    }

    [Fact]
    public void ExportAdapter_AdapterCheckpoint_ExitsZeroAndWritesTheZip()
    {
        var output = Path.Combine(fixture.NewDirectory(), "medical.zip");

        var (code, stdout, stderr) = ExportCli.Run("export-adapter", "--checkpoint", fixture.MedicalCheckpoint, "--model", fixture.ModelDirectory, "--output", output);

        Assert.True(code == 0, stderr);
        Assert.Contains("Packed adapter medical", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(output));
    }
}
