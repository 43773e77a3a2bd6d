using System.Text;
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
}
