using System.Text;
using SpeechServe.Runtime.Models;

namespace SpeechServe.Runtime.Tests.Models;

public sealed class ModelManifestTests
{
    private static ModelManifest Sample() => new()
    {
        Id = "reference",
        Architecture = new EncoderArchitecture { DModel = 96, NumLayers = 2 },
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
    [InlineData("{\"format_version\": 2, \"id\": \"x\", \"architecture\": {}, \"base_sha256\": \"\", \"files\": {}}", "format_version 2")]
    [InlineData("{\"id\": \"x\", \"architecture\": {\"d_model\": 100, \"num_heads\": 3}, \"base_sha256\": \"\", \"files\": {}}", "multiple of num_heads")]
    [InlineData("{\"id\": \"x\", \"architecture\": {\"num_layers\": 0}, \"base_sha256\": \"\", \"files\": {}}", "num_layers must be positive")]
    [InlineData("{\"architecture\": {}, \"base_sha256\": \"\", \"files\": {}}", "model.json is not valid")]
    [InlineData("[1, 2]", "model.json is not valid")]
    [InlineData("null", "empty")]
    public void Parse_BadManifest_SaysWhatIsWrong(string json, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => ModelManifest.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
