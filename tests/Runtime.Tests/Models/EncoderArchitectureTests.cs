using System.Text.Json;

using SpeechServe.Runtime.Models;

namespace SpeechServe.Runtime.Tests.Models;

public class EncoderArchitectureTests
{
    private const string ReferenceJson = """
        {
          "n_mels": 80, "d_model": 192, "num_layers": 6, "num_heads": 4, "ff_dim": 768,
          "conv_kernel": 15, "chunk_frames": 8, "left_context_frames": 32, "adapter_dim": 16,
          "vocab_size": 29, "dropout": 0.1
        }
        """;

    [Fact]
    public void FromJson_SnakeCaseKeys_MatchesReference()
    {
        Assert.Equal(EncoderArchitecture.Reference, EncoderArchitecture.FromJson(ReferenceJson));
    }

    [Fact]
    public void FromJson_ModelJsonArchitectureElement_Parses()
    {
        using var document = JsonDocument.Parse($$"""{"format_version": 1, "architecture": {{ReferenceJson}}}""");
        var architecture = EncoderArchitecture.FromJson(document.RootElement.GetProperty("architecture"));
        Assert.Equal(192, architecture.DModel);
    }

    [Fact]
    public void FromJson_OptionalKeysAbsent_UsesReferenceDefaults()
    {
        var architecture = EncoderArchitecture.FromJson(
            """{"n_mels":40,"d_model":64,"num_layers":2,"ff_dim":256,"conv_kernel":7,"adapter_dim":8,"vocab_size":29}""");
        Assert.Equal((4, 8, 32), (architecture.NumHeads, architecture.ChunkFrames, architecture.LeftContextFrames));
    }

    [Fact]
    public void ToJson_RoundTrips()
    {
        var json = EncoderArchitecture.Reference.ToJson();
        Assert.Contains("\"left_context_frames\": 32", json, StringComparison.Ordinal);
        Assert.Equal(EncoderArchitecture.Reference, EncoderArchitecture.FromJson(json));
    }

    [Theory]
    [InlineData("""{"n_mels":80,"num_layers":6,"ff_dim":768,"conv_kernel":15,"adapter_dim":16,"vocab_size":29}""", "d_model")]
    [InlineData("""{"n_mels":80,"d_model":"192","num_layers":6,"ff_dim":768,"conv_kernel":15,"adapter_dim":16,"vocab_size":29}""", "d_model")]
    [InlineData("""{"n_mels":80,"d_model":192,"num_layers":0,"ff_dim":768,"conv_kernel":15,"adapter_dim":16,"vocab_size":29}""", "num_layers is 0")]
    [InlineData("""{"n_mels":80,"d_model":190,"num_heads":4,"num_layers":6,"ff_dim":768,"conv_kernel":15,"adapter_dim":16,"vocab_size":29}""", "does not divide d_model 190")]
    [InlineData("""{"n_mels":80,"d_model":192,"num_layers":6,"ff_dim":768,"conv_kernel":15,"adapter_dim":16,"vocab_size":29,"left_context_frames":-1}""", "left_context_frames is -1")]
    [InlineData("[]", "Encoder architecture")]
    public void FromJson_Invalid_ThrowsNamingTheKey(string json, string expected)
    {
        var ex = Assert.Throws<InvalidDataException>(() => EncoderArchitecture.FromJson(json));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
