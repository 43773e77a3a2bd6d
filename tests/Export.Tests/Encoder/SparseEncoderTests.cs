using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using SpeechServe.Export.Adaptation;
using SpeechServe.Export.Onnx.Proto;
using SpeechServe.Export.Repository;
using SpeechServe.Export.SherpaOnnx;
using SpeechServe.Export.Tests.Onnx;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Onnx;
using SpeechServe.Runtime.Tensors;
using SpeechServe.Tests.Support;
using Xunit.Abstractions;

namespace SpeechServe.Export.Tests.Encoder;

/// <summary>A pruned model exported with <c>--sparse-initializers</c> against the same model exported dense.</summary>
public sealed class SparseEncoderTests(SparseEncoderFixture fixture, ITestOutputHelper output) : IClassFixture<SparseEncoderFixture>
{
    private string DenseEncoder => Path.Combine(fixture.DenseDirectory, RepositoryLayout.Encoder);

    private string SparseEncoder => Path.Combine(fixture.SparseDirectory, RepositoryLayout.Encoder);

    [Fact]
    public void Export_PrunedCheckpoint_SparseEncoderIsMuchSmallerAndValid()
    {
        long dense = new FileInfo(DenseEncoder).Length, sparse = new FileInfo(SparseEncoder).Length;
        output.WriteLine($"encoder.onnx: dense {dense:N0} bytes, sparse {sparse:N0} bytes ({100.0 * sparse / dense:F1} %)");

        Assert.True(sparse < 0.7 * dense, $"sparse encoder.onnx is {sparse:N0} bytes against {dense:N0} dense");
        using var stream = File.OpenRead(SparseEncoder);
        var graph = ModelProto.Parser.ParseFrom(stream).Graph;
        var matrices = graph.SparseInitializer.Where(t => t.Values.Name.EndsWith(".weight_t", StringComparison.Ordinal) || t.Values.Name.EndsWith(".depthwise.weight", StringComparison.Ordinal));
        Assert.Equal(2 + (6 * 11), matrices.Count()); // the subsampling's and each block's
        Assert.All(graph.SparseInitializer.Except(matrices), t => Assert.Equal(0, t.Values.Dims.Single())); // the random checkpoint's zero LayerNorm biases
        // Structure only: the reference shape inference types a sparse initializer as a sparse tensor, which MatMul
        // does not take; ONNX Runtime densifies it first (docs/model.md, "Sparse initializers").
        OnnxPython.Run("import sys, onnx; onnx.checker.check_model(sys.argv[1])", SparseEncoder);
    }

    [Fact]
    public void Run_SparseEncoder_GivesTheDenseEncodersOutputs()
    {
        var inputs = EncoderRunner.GoldenInputs(fixture.Golden, "encoder.");
        using var dense = new EncoderRunner(DenseEncoder);
        using var sparse = new EncoderRunner(SparseEncoder);

        var expected = dense.Run(inputs);
        var actual = sparse.Run(inputs);

        Assert.Equal(expected.LogProbs, actual.LogProbs);
        Assert.Equal(expected.EncoderOut, actual.EncoderOut);
        Assert.Equal(expected.AttentionCache, actual.AttentionCache);
        Assert.Equal(expected.ConvolutionCache, actual.ConvolutionCache);
        Assert.Equal(expected.OutputLengths, actual.OutputLengths);
        Assert.True(EncoderRunner.MaxAbsDiff(fixture.Golden["encoder.log_probs"].AsSpan<float>(), actual.LogProbs) < 1e-3);
    }

    [Fact]
    public void Export_SparseInitializers_KeepTheBaseHashOfThePrunedWeights()
    {
        var checkpoint = SafetensorsReader.ReadFile(fixture.Checkpoint).Tensors;

        Assert.Equal(BaseWeightsHash.Compute(checkpoint), fixture.SparseManifest.BaseSha256);
        Assert.Equal(fixture.DenseManifest.BaseSha256, fixture.SparseManifest.BaseSha256);
        var weights = RepositoryBaseWeights.Read(fixture.SparseDirectory, fixture.SparseManifest);
        Assert.All(weights, t => Assert.Equal(checkpoint[t.Name].Data.ToArray(), t.Data.ToArray()));
    }

    [Fact]
    public void Cli_SparseInitializersOption_WritesTheSparseEncoder()
    {
        var output = Path.Combine(fixture.NewDirectory(), "cli");
        var config = Path.Combine(TrainingScripts.RepositoryRoot, "training", "configs", "reference.json");

        var (code, _, stderr) = ExportCli.Run("export", "--checkpoint", fixture.Checkpoint, "--config", config, "--output", output, "--id", "cli-model", "--sparse-initializers");

        Assert.True(code == 0, stderr);
        Assert.Equal(SparseInitializerCount(SparseEncoder), SparseInitializerCount(Path.Combine(output, RepositoryLayout.Encoder)));
    }

    [Fact]
    public void ExportSherpaOnnx_SparseRepository_KeepsTheWeightsSparse()
    {
        var directory = Path.Combine(fixture.NewDirectory(), "sherpa");
        SherpaOnnxExporter.Export(new SherpaOnnxExportRequest { ModelDirectory = fixture.SparseDirectory, OutputDirectory = directory });
        var path = Path.Combine(directory, SherpaOnnxExporter.ModelFile);

        Assert.Equal(SparseInitializerCount(SparseEncoder), SparseInitializerCount(path));
        using var session = new InferenceSession(path);
        Assert.Single(session.OutputMetadata);
    }

    [Fact]
    public void Load_SparseRepository_ServesWithItsAdapters()
    {
        using var model = SpeechModel.Load(fixture.SparseDirectory, new OnnxSessionFactory(NullLogger.Instance));

        Assert.Equal(fixture.SparseManifest.BaseSha256, model.Manifest.BaseSha256);
        var adapter = AdapterConfig.Parse(File.ReadAllBytes(Path.Combine(fixture.SparseDirectory, "adapters/medical/1", AdapterConfig.FileName)));
        Assert.Equal(model.Manifest.BaseSha256, adapter.BaseSha256);
    }

    private static int SparseInitializerCount(string path)
    {
        using var stream = File.OpenRead(path);
        return ModelProto.Parser.ParseFrom(stream).Graph.SparseInitializer.Count;
    }
}
