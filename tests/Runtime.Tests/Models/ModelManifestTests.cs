using System.Text;
using SpeechServe.Runtime.Decoding;
using SpeechServe.Runtime.Models;

namespace SpeechServe.Runtime.Tests.Models;

public sealed class ModelManifestTests
{
    private static ModelManifest Sample() => new()
    {
        Id = "reference",
        Architecture = EncoderArchitecture.Reference with { DModel = 96, NumLayers = 2 },
        BaseSha256 = new string('a', 64),
        Files = new Dictionary<string, string> { ["encoder.onnx"] = new string('b', 64) },
        Provenance = new Dictionary<string, string> { ["checkpoint"] = "random.ckpt" },
    };

    [Fact]
    public void Parse_WrittenManifest_RoundTripsWithSnakeCaseKeys()
    {
        var bytes = Sample().ToJsonBytes();
        var json = Encoding.UTF8.GetString(bytes);

        var parsed = ModelManifest.Parse(bytes);

        Assert.Contains("\"left_context_frames\": 32", json, StringComparison.Ordinal);
        Assert.Contains("\"base_sha256\"", json, StringComparison.Ordinal);
        Assert.Equal(96, parsed.Architecture.DModel);
        Assert.Equal(2, parsed.Architecture.NumLayers);
        Assert.Equal(new string('b', 64), parsed.Files["encoder.onnx"]);
        Assert.Equal("random.ckpt", parsed.Provenance["checkpoint"]);
    }

    [Theory]
    [InlineData("{\"format_version\": 2, \"id\": \"x\", \"architecture\": {\"n_mels\": 80, \"d_model\": 192, \"num_layers\": 6, \"ff_dim\": 768, \"conv_kernel\": 15, \"adapter_dim\": 16, \"vocab_size\": 29}, \"base_sha256\": \"\", \"files\": {}}", "format_version 2")]
    [InlineData("{\"id\": \"x\", \"architecture\": {\"n_mels\": 80, \"d_model\": 100, \"num_heads\": 3, \"num_layers\": 6, \"ff_dim\": 768, \"conv_kernel\": 15, \"adapter_dim\": 16, \"vocab_size\": 29}, \"base_sha256\": \"\", \"files\": {}}", "does not divide d_model")]
    [InlineData("{\"id\": \"x\", \"architecture\": {\"n_mels\": 80, \"d_model\": 192, \"num_layers\": 0, \"ff_dim\": 768, \"conv_kernel\": 15, \"adapter_dim\": 16, \"vocab_size\": 29}, \"base_sha256\": \"\", \"files\": {}}", "num_layers is 0, it must be positive")]
    [InlineData("{\"architecture\": {\"n_mels\": 80, \"d_model\": 192, \"num_layers\": 6, \"ff_dim\": 768, \"conv_kernel\": 15, \"adapter_dim\": 16, \"vocab_size\": 29}, \"base_sha256\": \"\", \"files\": {}}", "model.json is not valid")]
    [InlineData("[1, 2]", "model.json is not valid")]
    [InlineData("null", "empty")]
    public void Parse_BadManifest_SaysWhatIsWrong(string json, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => ModelManifest.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LanguageModelSection_RoundTrips()
    {
        var manifest = Sample() with
        {
            Files = new Dictionary<string, string> { ["encoder.onnx"] = new string('b', 64), ["lm.arpa"] = new string('c', 64) },
            LanguageModel = new LanguageModelConfig { File = "lm.arpa", Weight = 0.8, WordBonus = 0.5, BeamWidth = 32 },
        };
        var json = Encoding.UTF8.GetString(manifest.ToJsonBytes());

        var parsed = ModelManifest.Parse(manifest.ToJsonBytes());

        Assert.Contains("\"language_model\": {", json, StringComparison.Ordinal);
        Assert.Contains("\"word_bonus\": 0.5", json, StringComparison.Ordinal);
        Assert.Equal(manifest.LanguageModel, parsed.LanguageModel);
        Assert.Null(ModelManifest.Parse(Sample().ToJsonBytes()).LanguageModel);
    }

    [Theory]
    [InlineData("lm.arpa", 0.8, 0, 32, null)]
    [InlineData("other.arpa", 0.8, 0, 32, "language_model.file 'other.arpa' is not listed in files")]
    [InlineData("lm.arpa", -0.1, 0, 32, "language_model.weight is -0.1; it must be a finite number of at least 0")]
    [InlineData("lm.arpa", 0.8, 0, 0, "language_model.beam_width is 0; it must be at least 1")]
    public void Parse_LanguageModelSection_IsValidated(string file, double weight, double wordBonus, int beamWidth, string? expected)
    {
        var manifest = Sample() with
        {
            Files = new Dictionary<string, string> { ["lm.arpa"] = new string('c', 64) },
            LanguageModel = new LanguageModelConfig { File = file, Weight = weight, WordBonus = wordBonus, BeamWidth = beamWidth },
        };

        if (expected is null)
        {
            Assert.NotNull(ModelManifest.Parse(manifest.ToJsonBytes()).LanguageModel);
            return;
        }

        var error = Assert.Throws<InvalidDataException>(() => ModelManifest.Parse(manifest.ToJsonBytes()));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownWords_RoundTripsAndIsAbsentByDefault()
    {
        var manifest = Sample() with
        {
            Files = new Dictionary<string, string> { ["lm.arpa"] = new string('c', 64) },
            LanguageModel = new LanguageModelConfig
            {
                File = "lm.arpa", Weight = 0.8, WordBonus = 0, BeamWidth = 32, UnknownWords = new UnknownWordOptions { Penalty = 4 },
            },
        };
        var json = Encoding.UTF8.GetString(manifest.ToJsonBytes());

        var parsed = ModelManifest.Parse(manifest.ToJsonBytes());

        Assert.Contains("\"unknown_words\": {", json, StringComparison.Ordinal);
        Assert.Equal(new UnknownWordOptions { Penalty = 4, UnknownLog10Probability = -7 }, parsed.LanguageModel!.UnknownWords);
        Assert.DoesNotContain("unknown_words", Encoding.UTF8.GetString((manifest with { LanguageModel = manifest.LanguageModel with { UnknownWords = null } }).ToJsonBytes()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1, -7, "language_model.unknown_words.penalty is -1; it must be a finite number of at least 0")]
    [InlineData(4, 0.5, "language_model.unknown_words.unknown_log10_probability is 0.5; it must be a finite number of at most 0")]
    public void Parse_UnknownWordsOutOfRange_IsRefused(double penalty, double log10Probability, string expected)
    {
        var manifest = Sample() with
        {
            Files = new Dictionary<string, string> { ["lm.arpa"] = new string('c', 64) },
            LanguageModel = new LanguageModelConfig
            {
                File = "lm.arpa", Weight = 0.8, WordBonus = 0, BeamWidth = 32,
                UnknownWords = new UnknownWordOptions { Penalty = penalty, UnknownLog10Probability = log10Probability },
            },
        };

        var error = Assert.Throws<InvalidDataException>(() => ModelManifest.Parse(manifest.ToJsonBytes()));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LanguageModelSectionWithoutBeamWidth_IsRefused()
    {
        var json = Encoding.UTF8.GetString(Sample().ToJsonBytes()).Replace(
            "\"provenance\"", "\"language_model\": {\"file\": \"encoder.onnx\", \"weight\": 1, \"word_bonus\": 0}, \"provenance\"", StringComparison.Ordinal);

        var error = Assert.Throws<InvalidDataException>(() => ModelManifest.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.Contains("beam_width", error.Message, StringComparison.Ordinal);
    }
}
