using SpeechServe.Export.Repository;
using SpeechServe.Runtime.Models;

namespace SpeechServe.Export.Tests.Merging;

/// <summary>The <c>merge-attention</c> command: output, the adapters notice, usage errors.</summary>
public sealed class MergeAttentionCliTests(AttentionMergeFixture fixture) : IClassFixture<AttentionMergeFixture>
{
    [Fact]
    public void MergeAttention_Factor_WritesTheRepositoryAndSaysTheAdaptersMustBeRetrained()
    {
        var output = Path.Combine(fixture.NewDirectory(), "cli");

        var (code, stdout, stderr) = Run("--factor", "0.1", "--layers", "0", "--output", output, "--id", "cli-merged");

        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("Merged into speechfm-en-small: wrote cli-merged", stdout, StringComparison.Ordinal);
        Assert.Contains("Adapters not copied: accent, far-field, telephony, translate-de, translate-es of speechfm-en-small.", stdout, StringComparison.Ordinal);
        Assert.Contains($"They are bound to base_sha256 {fixture.Source.BaseSha256[..16]}…, and the server refuses them for cli-merged; retrain them on cli-merged with 'adapt'", stdout, StringComparison.Ordinal);
        var manifest = ModelManifest.Parse(File.ReadAllBytes(Path.Combine(output, RepositoryLayout.Manifest)));
        Assert.NotEqual(fixture.Source.BaseSha256, manifest.BaseSha256);
    }

    [Theory]
    [InlineData("1.5", "error: the merge factor 1.5 must be between 0 and 1.")]
    [InlineData("x", "Cannot parse argument 'x' for option '--factor'")]
    public void MergeAttention_BadFactor_ExitsNonZeroSayingWhy(string factor, string message)
    {
        var (code, _, stderr) = Run("--factor", factor, "--output", Path.Combine(fixture.NewDirectory(), "out"), "--id", "m");

        Assert.NotEqual(0, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void MergeAttention_MissingFactor_ExitsNonZeroNamingTheOption()
    {
        var (code, _, stderr) = Run("--output", Path.Combine(fixture.NewDirectory(), "out"), "--id", "m");

        Assert.NotEqual(0, code);
        Assert.Contains("--factor", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void MergeAttention_BadLayers_ExitsOneSayingWhichLayersExist()
    {
        var output = Path.Combine(fixture.NewDirectory(), "out");

        var (code, _, stderr) = Run("--factor", "0.1", "--layers", "6", "--output", output, "--id", "m");

        Assert.Equal(1, code);
        Assert.StartsWith("error: --layers 6: give 'all' or comma-separated layer indices from 0 to 5.", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    private (int Code, string Stdout, string Stderr) Run(params string[] arguments) =>
        ExportCli.Run(["merge-attention", "--model", AttentionMergeFixture.ShippedModel, "--text-attention", fixture.TextPath, .. arguments]);
}
