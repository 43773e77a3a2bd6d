using Microsoft.ML.OnnxRuntime;
using SpeechServe.Export.Onnx;
using SpeechServe.Export.Onnx.Proto;
using SpeechServe.Export.Repository;
using SpeechServe.Export.SherpaOnnx;
using SpeechServe.Export.Tests.Encoder;
using SpeechServe.Runtime.Encoder;
using SpeechServe.Runtime.Features;
using SpeechServe.Runtime.Onnx;
using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Export.Tests.SherpaOnnx;

/// <summary>
/// The sherpa-onnx flavour (docs/sherpa-onnx.md): the names, shapes, metadata and tokens sherpa-onnx's
/// omnilingual CTC model type reads, and log-probabilities equal to our runtime's on the same audio.
/// </summary>
[Collection(EncoderExportGroup.Name)]
public sealed class SherpaOnnxExporterTests(EncoderExportFixture fixture)
{
    private const float Gain = 0.09f;

    [Fact]
    public void Export_Model_HasOneSamplesInputAndOneLogitsOutput()
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(Export("medical"), SherpaOnnxExporter.ModelFile)));

        var input = Assert.Single(model.Graph.Input);
        Assert.Equal(WaveformFrontendGraph.Samples, input.Name);
        Assert.Equal((int)ElementType.Float, input.Type.TensorType.ElemType);
        Assert.Equal(["batch", "num_samples"], input.Type.TensorType.Shape.Dim.Select(d => d.DimParam));
        var output = Assert.Single(model.Graph.Output);
        Assert.Equal(SherpaOnnxExporter.Logits, output.Name);
        var dims = output.Type.TensorType.Shape.Dim;
        Assert.Equal(("batch", "encoder_frames", 29L), (dims[0].DimParam, dims[1].DimParam, dims[2].DimValue));
    }

    [Fact]
    public void Export_Metadata_NamesModelAdapterGainAndSherpaConfig()
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(Export("medical"), SherpaOnnxExporter.ModelFile)));
        var metadata = model.MetadataProps.ToDictionary(e => e.Key, e => e.Value);

        Assert.Equal("omnilingual", metadata["sherpa_onnx_model_config"]);
        Assert.Equal(EncoderExportFixture.ModelId, metadata["model_id"]);
        Assert.Equal(fixture.Manifest.BaseSha256, metadata["base_sha256"]);
        Assert.Equal("medical/1", metadata["adapter"]);
        Assert.Equal(("29", "4", "16000", "0.09"), (metadata["vocab_size"], metadata["subsampling_factor"], metadata["sample_rate"], metadata["input_gain"]));
    }

    [Fact]
    public void Export_Tokens_AreTokenAndIdPerLine()
    {
        var lines = File.ReadAllLines(Path.Combine(Export(adapter: null), SherpaOnnxExporter.TokensFile));

        Assert.Equal(Vocabulary.Reference.Select((token, id) => $"{token} {id}"), lines);
        Assert.Equal(["<blank> 0", "\u2581 1", "a 2"], lines[..3]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("medical")]
    public void Export_Logits_EqualRuntimeEncoderOnLogMelOfTheSamplesSherpaPasses(string? adapter)
    {
        var directory = Export(adapter);
        var normalised = SherpaNormalised(Waveform(21_000));

        using var session = new InferenceSession(Path.Combine(directory, SherpaOnnxExporter.ModelFile));
        using var input = OrtValue.CreateTensorValueFromMemory(normalised, [1, normalised.Length]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, [WaveformFrontendGraph.Samples], [input], [SherpaOnnxExporter.Logits]);
        var logits = results[0].GetTensorDataAsSpan<float>().ToArray();

        var expected = RuntimeLogProbs(normalised.Select(x => x * Gain).ToArray(), adapter);
        Assert.Equal(expected.Length, logits.Length);
        Assert.True(EncoderRunner.MaxAbsDiff(expected, logits) < 1e-4, $"max abs difference {EncoderRunner.MaxAbsDiff(expected, logits)}");
    }

    [Fact]
    public void Export_UnknownAdapter_IsRefusedAndWritesNothing()
    {
        var output = Path.Combine(fixture.NewDirectory(), "sherpa");

        var error = Assert.Throws<ExportException>(() => SherpaOnnxExporter.Export(
            new SherpaOnnxExportRequest { ModelDirectory = fixture.ModelDirectory, OutputDirectory = output, Adapter = "radiology" }));

        Assert.Contains("no adapter 'radiology'", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    private string Export(string? adapter)
    {
        var output = Path.Combine(fixture.NewDirectory(), "sherpa");
        SherpaOnnxExporter.Export(new SherpaOnnxExportRequest
        {
            ModelDirectory = fixture.ModelDirectory,
            OutputDirectory = output,
            Adapter = adapter,
            InputGain = Gain,
        });
        return output;
    }

    private float[] RuntimeLogProbs(float[] samples, string? adapter)
    {
        var architecture = fixture.Manifest.Architecture;
        var tensors = SafetensorsReader.ReadFile(adapter is null
            ? Path.Combine(fixture.ModelDirectory, RepositoryLayout.BaseHead)
            : Path.Combine(fixture.ModelDirectory, RepositoryLayout.AdapterDirectory(adapter, 1), "adapter_model.safetensors")).Tensors;
        var weights = adapter is null
            ? AdapterWeightsReader.ReadBase(architecture, tensors)
            : AdapterWeightsReader.ReadDomain(architecture, tensors, adapter);
        using var encoder = new EncoderSession(
            new InferenceSession(Path.Combine(fixture.ModelDirectory, RepositoryLayout.Encoder)), architecture, OnnxExecutionProvider.Cpu);
        var request = new EncoderRequest(LogMelFrontend.Compute(samples), LogMelSpec.FrameCount(samples.Length), weights);
        return new OfflineEncoder(encoder).Encode([request])[0];
    }

    /// <summary>What sherpa-onnx hands an omnilingual CTC model: the utterance scaled to zero mean and unit variance (variance + 1e-5).</summary>
    private static float[] SherpaNormalised(float[] samples)
    {
        var mean = samples.Average();
        var variance = samples.Select(x => x * x).Average() - (mean * mean);
        var scale = 1 / MathF.Sqrt(Math.Max(variance, 0) + 1e-5f);
        return samples.Select(x => (x - mean) * scale).ToArray();
    }

    /// <summary>Speech-like test audio: a gliding harmonic tone under a syllable envelope, with seeded noise.</summary>
    private static float[] Waveform(int length)
    {
        var random = new Random(7);
        var samples = new float[length];
        for (var i = 0; i < length; i++)
        {
            var t = i / 16_000.0;
            var pitch = 120 + (40 * Math.Sin(2 * Math.PI * 0.7 * t));
            var envelope = 0.5 + (0.5 * Math.Sin(2 * Math.PI * 4 * t));
            var voiced = Math.Sin(2 * Math.PI * pitch * t) + (0.5 * Math.Sin(2 * Math.PI * 3 * pitch * t));
            samples[i] = (float)((0.08 * envelope * voiced) + (0.005 * ((random.NextDouble() * 2) - 1)));
        }

        return samples;
    }
}
