using Microsoft.Extensions.Logging.Abstractions;
using SpeechServe.Export.Adaptation;
using SpeechServe.Export.Merging;
using SpeechServe.Export.Repository;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Onnx;
using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Export.Tests.Merging;

/// <summary><see cref="AttentionMergeExporter"/> on the shipped model: what changes, what carries over, what is refused.</summary>
public sealed class AttentionMergeExporterTests(AttentionMergeFixture fixture) : IClassFixture<AttentionMergeFixture>
{
    [Fact]
    public void Export_Factor_ChangesExactlyTheQkvTensorsOfTheLayersByTheFormula()
    {
        var merged = RepositoryBaseWeights.Read(fixture.MergedDirectory, fixture.Merged.Manifest);

        var changed = merged.Where(t => !t.Data.Span.SequenceEqual(fixture.SourceWeights[t.Name].Data.Span)).Select(t => t.Name);
        Assert.Equal(AttentionMerge.TensorNames([1, 4]).Order(StringComparer.Ordinal), changed.Order(StringComparer.Ordinal));
        float keep = (float)(1 - AttentionMergeFixture.Factor), share = (float)AttentionMergeFixture.Factor;
        foreach (var (name, index) in new[] { ("layers.1.attn.q.weight", 0), ("layers.4.attn.k.bias", 191), ("layers.4.attn.v.weight", 12345) })
        {
            var expected = (keep * fixture.SourceWeights[name].AsSpan<float>()[index]) + (share * fixture.Text[name].AsSpan<float>()[index]);
            Assert.Equal(expected, merged[name].AsSpan<float>()[index]);
        }
    }

    [Fact]
    public void Export_Factor_WritesANewBaseWithProvenanceAndTheSourcesDecodingFiles()
    {
        var manifest = fixture.Merged.Manifest;

        Assert.NotEqual(fixture.Source.BaseSha256, manifest.BaseSha256);
        Assert.True(fixture.Merged.BaseChanged);
        Assert.Equal(BaseWeightsHash.Compute(RepositoryBaseWeights.Read(fixture.MergedDirectory, manifest)), manifest.BaseSha256);
        Assert.Equal(fixture.Source.BaseSha256, manifest.Provenance["checkpoint.source_base_sha256"]);
        Assert.Equal(("speechfm-en-small", "1,4"), (manifest.Provenance["checkpoint.source_model"], manifest.Provenance["checkpoint.layers"]));
        Assert.Equal(Sha256.OfFile(fixture.TextPath), manifest.Provenance["checkpoint.text_attention_sha256"]);
        Assert.Equal(fixture.Source.LanguageModel, manifest.LanguageModel);
        Assert.Equal(fixture.Source.Files[RepositoryLayout.Tokens], manifest.Files[RepositoryLayout.Tokens]);
        Assert.NotNull(manifest.EncoderInt8);
    }

    [Fact]
    public void Export_SourceWithAdapters_CopiesNoneAndNamesThem()
    {
        Assert.Equal(["accent", "far-field", "telephony", "translate-de", "translate-es"], fixture.Merged.SourceAdapters);
        Assert.False(Directory.Exists(Path.Combine(fixture.MergedDirectory, RepositoryLayout.AdaptersDirectory)));
    }

    [Fact]
    public void Load_MergedRepository_ServesWithItsNewBase()
    {
        using var model = SpeechModel.Load(fixture.MergedDirectory, new OnnxSessionFactory(NullLogger.Instance));

        Assert.Equal(fixture.Merged.Manifest.BaseSha256, model.Manifest.BaseSha256);
    }

    [Fact]
    public void Export_FactorZero_KeepsTheBaseWeightsBitForBitAndTheirSha256()
    {
        var result = AttentionMergeExporter.Export(fixture.Request("zero", 0));

        Assert.Equal(fixture.Source.BaseSha256, result.Manifest.BaseSha256);
        Assert.False(result.BaseChanged);
        var weights = RepositoryBaseWeights.Read(Path.Combine(Path.GetDirectoryName(fixture.MergedDirectory)!, "zero"), result.Manifest);
        Assert.All(weights, t => Assert.True(t.Data.Span.SequenceEqual(fixture.SourceWeights[t.Name].Data.Span), t.Name));
    }

    [Fact]
    public void Export_TextModelOfOtherShapes_IsRefusedNamingTheTensorAndWritesNothing()
    {
        var directory = fixture.NewDirectory();
        var text = Path.Combine(directory, "narrow.safetensors");
        SafetensorsWriter.WriteFile(text, fixture.Text.Select(t => t.Name == "layers.0.attn.q.weight" ? NamedTensor.FromFloat32(t.Name, [96, 192], new float[96 * 192]) : t));
        var request = fixture.Request("unused", 0.1) with { TextAttentionPath = text, OutputDirectory = Path.Combine(directory, "out") };

        var error = Assert.Throws<ExportException>(() => AttentionMergeExporter.Export(request));

        Assert.Equal("'layers.0.attn.q.weight': the text attention model's shape [96,192] differs from the encoder's [192,192].", error.Message);
        Assert.False(Directory.Exists(request.OutputDirectory));
    }

    [Fact]
    public void Export_OutputIsTheSourceRepository_IsRefused()
    {
        var request = fixture.Request("unused", 0.1) with { OutputDirectory = AttentionMergeFixture.ShippedModel + "/", Replace = true };

        var error = Assert.Throws<ExportException>(() => AttentionMergeExporter.Export(request));

        Assert.Contains("--output must differ from --model", error.Message, StringComparison.Ordinal);
    }
}
