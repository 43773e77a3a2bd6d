using SpeechServe.Adapters.Tests.Support;
using SpeechServe.Export.Repository;
using SpeechServe.Runtime.Tensors;
using SpeechServe.Tests.Support;

namespace SpeechServe.Adapters.Tests.Packages;

/// <summary><c>export-adapter --decoder</c>: the decoders the exporter refuses to pack, with what to fix.</summary>
[Collection(AdapterPackageGroup.Name)]
public sealed class TranslationAdapterExportTests(AdapterPackageFixture fixture)
{
    [Fact]
    public void Export_DecoderOfAnotherWidth_IsRefusedNamingBothWidths()
    {
        var directory = fixture.NewDirectory();
        var decoder = Path.Combine(directory, "decoder.safetensors");
        TrainingScripts.Run("dump_decoder_golden.py", "--make-random", "--d-model", "96", "--decoder", decoder, "--output", Path.Combine(directory, "golden.safetensors"));

        var error = Assert.Throws<ExportException>(() => Export(decoder, directory));

        Assert.Contains("has d_model 96 but model speechfm-test's encoder has 192", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(directory, "*.zip*"));
    }

    [Theory]
    [InlineData("decoder_config")]
    [InlineData("vocabulary")]
    [InlineData("domain")]
    public void Export_DecoderWithoutMetadata_IsRefusedNamingTheKey(string key)
    {
        var directory = fixture.NewDirectory();
        var original = SafetensorsReader.ReadFile(fixture.DecoderCheckpoint);
        var decoder = Path.Combine(directory, "decoder.safetensors");
        var metadata = original.Metadata.Where(m => m.Key != key).ToDictionary(m => m.Key, m => m.Value);
        File.WriteAllBytes(decoder, SafetensorsWriter.WriteToArray([.. original.Tensors], metadata));

        var error = Assert.Throws<ExportException>(() => Export(decoder, directory));

        Assert.Contains($"decoder.safetensors has no '{key}' metadata", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_DecoderWithAMissingTensor_IsRefusedNamingIt()
    {
        var directory = fixture.NewDirectory();
        var original = SafetensorsReader.ReadFile(fixture.DecoderCheckpoint);
        var decoder = Path.Combine(directory, "decoder.safetensors");
        File.WriteAllBytes(decoder, SafetensorsWriter.WriteToArray([.. original.Tensors.Where(t => t.Name != "layers.1.cross_attn.k.bias")], original.Metadata));

        var error = Assert.Throws<ExportException>(() => Export(decoder, directory));

        Assert.Contains("missing tensor 'layers.1.cross_attn.k.bias'", error.Message, StringComparison.Ordinal);
    }

    private void Export(string decoder, string directory) =>
        AdapterExporter.Export(new AdapterExportRequest
        {
            CheckpointPath = fixture.AdapterCheckpoint,
            ModelDirectory = fixture.ModelDirectory,
            OutputPath = Path.Combine(directory, "translate-de.zip"),
            Name = "translate-de",
            DecoderPath = decoder,
        });
}
