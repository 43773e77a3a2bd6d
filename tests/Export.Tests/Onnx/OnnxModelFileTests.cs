using System.Globalization;
using System.Security.Cryptography;
using Google.Protobuf;
using SpeechServe.Export.Onnx;
using SpeechServe.Export.Onnx.Proto;

namespace SpeechServe.Export.Tests.Onnx;

/// <summary>Writing models to disk, with and without external data.</summary>
public sealed class OnnxModelFileTests
{
    // Loads the model with its external data, runs the full checker on the path, and prints each
    // initializer's name, shape and a hash of its bytes as the reference implementation sees them.
    private const string ExternalDataScript = """
        import sys, hashlib, onnx
        from onnx import numpy_helper
        path = sys.argv[1]
        onnx.checker.check_model(path, full_check=True)
        model = onnx.load(path)
        onnx.checker.check_model(model, full_check=True)
        for t in model.graph.initializer:
            data = numpy_helper.to_array(t)
            print(t.name, "x".join(str(d) for d in data.shape), hashlib.sha256(data.astype("<f4").tobytes()).hexdigest())
        """;

    [Fact]
    public void Save_LargeInitializers_MovesThemToAnAlignedDataFileBesideTheModel()
    {
        var model = SampleGraphs.LargeWeights().Model;
        using var directory = new TempDirectory();
        var path = directory.File("encoder.onnx");

        var moved = OnnxModelFile.Save(model, path, new ExternalDataOptions());

        Assert.Equal(2, moved);
        var dataPath = directory.File("encoder.onnx.data");
        Assert.True(File.Exists(dataPath));
        var written = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        var data = File.ReadAllBytes(dataPath);
        foreach (var name in new[] { "w1", "w2" })
        {
            var tensor = written.Graph.Initializer.Single(t => t.Name == name);
            var entries = tensor.ExternalData.ToDictionary(e => e.Key, e => e.Value);
            var offset = long.Parse(entries["offset"], CultureInfo.InvariantCulture);
            var length = int.Parse(entries["length"], CultureInfo.InvariantCulture);
            var original = model.Graph.Initializer.Single(t => t.Name == name).RawData.ToByteArray();

            Assert.Equal(TensorProto.Types.DataLocation.External, tensor.DataLocation);
            Assert.False(tensor.HasRawData);
            Assert.Equal("encoder.onnx.data", entries["location"]);
            Assert.Equal(0, offset % 4096);
            Assert.Equal(original.Length, length);
            Assert.Equal(original, data.AsSpan((int)offset, length).ToArray());
        }

        var bias = written.Graph.Initializer.Single(t => t.Name == "b1");
        Assert.True(bias.HasRawData);
        Assert.False(bias.HasDataLocation);
        Assert.Empty(bias.ExternalData);
    }

    [Fact]
    public void Save_ExternalData_LoadsInOnnxAndPassesTheCheckerByPath()
    {
        var model = SampleGraphs.LargeWeights().Model;
        using var directory = new TempDirectory();
        var path = directory.File("encoder.onnx");
        OnnxModelFile.Save(model, path, new ExternalDataOptions());

        var printed = OnnxPython.Run(ExternalDataScript, path).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var expected = model.Graph.Initializer.Select(t =>
            $"{t.Name} {string.Join('x', t.Dims)} {Convert.ToHexStringLower(SHA256.HashData(t.RawData.Span))}");
        Assert.Equal(expected, printed);
    }

    [Fact]
    public void Save_ThroughTheBuilderWithACustomFileName_LoadsInOnnx()
    {
        var g = new OnnxGraphBuilder("custom");
        var x = g.Input("x", ElementType.Float, ["batch", 32]);
        g.Output(g.MatMul(x, g.Initializer("w", SampleGraphs.Pattern(32 * 32, 0.01f, 0), [32, 32])), ElementType.Float, ["batch", 32], "y");
        using var directory = new TempDirectory();
        var path = directory.File("model.onnx");

        g.Save(path, new ExternalDataOptions { FileName = "weights.bin", ThresholdBytes = 16 });

        Assert.True(File.Exists(directory.File("weights.bin")));
        Assert.Equal(["model.onnx", "weights.bin"], Directory.GetFiles(directory.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.StartsWith("w 32x32 ", OnnxPython.Run(ExternalDataScript, path), StringComparison.Ordinal);
    }

    [Fact]
    public void Save_WithoutExternalDataOptions_WritesOneFileWithTheBytesOfToBytes()
    {
        var g = new OnnxGraphBuilder();
        var x = g.Input("x", ElementType.Float, ["batch", 64]);
        g.Output(g.MatMul(x, g.Initializer("w", new float[64 * 64], [64, 64])), ElementType.Float, ["batch", 64]);
        using var directory = new TempDirectory();
        var path = directory.File("inline.onnx");

        g.Save(path);

        Assert.Equal(g.ToBytes(), File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(directory.Path));
    }

    [Fact]
    public void Save_AllInitializersBelowTheThreshold_WritesNoDataFile()
    {
        using var directory = new TempDirectory();
        var path = directory.File("small.onnx");

        var moved = OnnxModelFile.Save(SampleGraphs.MatMulAddRelu().Model, path, new ExternalDataOptions());

        Assert.Equal(0, moved);
        Assert.Equal(["small.onnx"], Directory.GetFiles(directory.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Save_ExternalData_LeavesTheGivenModelUnchanged()
    {
        var model = SampleGraphs.LargeWeights().Model;
        var before = model.ToByteArray();
        using var directory = new TempDirectory();

        OnnxModelFile.Save(model, directory.File("m.onnx"), new ExternalDataOptions());

        Assert.Equal(before, model.ToByteArray());
    }

    [Theory]
    [InlineData("../weights.bin")]
    [InlineData("sub/weights.bin")]
    [InlineData("..")]
    public void Save_DataFileNameWithADirectoryPart_Throws(string fileName)
    {
        using var directory = new TempDirectory();

        Assert.Throws<ArgumentException>(() =>
            OnnxModelFile.Save(SampleGraphs.LargeWeights().Model, directory.File("m.onnx"), new ExternalDataOptions { FileName = fileName }));
        Assert.Empty(Directory.GetFiles(directory.Path));
    }
}
