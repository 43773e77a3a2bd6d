using SpeechServe.Export.Checkpoints;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Export.Tests.Checkpoints;

/// <summary>
/// Reads checkpoints written outside this code base. Fixture directory conventions:
/// <c>*.safetensors</c> files are safetensors, <c>*.torchsharp</c> and <c>*.bin</c> files are
/// TorchSharp <c>Module.save</c> files; <c>X.expected.json</c> beside <c>X</c> is a schema in
/// <see cref="CheckpointSchemaJson"/> form; an <c>architecture.json</c> makes every checkpoint
/// be checked against <see cref="ReferenceCheckpointSchema"/> (adapter domains taken from its
/// names); files with the same stem in both formats must hold the same tensors.
/// </summary>
public class ExternalCheckpointTests
{
    [ExternalCheckpointFact]
    public void ReadFile_ExternallyWrittenCheckpoints_MatchTheirFormatAndSchema()
    {
        var directory = ExternalCheckpointFactAttribute.Directory!;
        var files = System.IO.Directory.GetFiles(directory)
            .Where(f => ExpectedFormat(f) is not null)
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(files);

        var architecturePath = Path.Combine(directory, "architecture.json");
        var architecture = File.Exists(architecturePath) ? EncoderArchitecture.Load(architecturePath) : null;
        var byStem = new Dictionary<string, TensorMap>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var checkpoint = CheckpointReader.ReadFile(file);
            Assert.True(ExpectedFormat(file) == checkpoint.Format, $"{file}: detected {checkpoint.Format}");
            Assert.Equal(checkpoint.Tensors, CheckpointReader.ReadFile(file, ExpectedFormat(file)).Tensors, TensorComparer.Instance);

            var sidecar = file + ".expected.json";
            if (File.Exists(sidecar))
            {
                AssertValid(file, CheckpointSchemaJson.Parse(File.ReadAllText(sidecar)), checkpoint.Tensors);
            }

            if (architecture is not null)
            {
                var domains = ReferenceCheckpointSchema.AdapterDomainsIn(checkpoint.Tensors.Names);
                var isAdapterOnly = checkpoint.Tensors.All(t => t.Name.StartsWith("adapters.", StringComparison.Ordinal));
                var schema = isAdapterOnly && domains.Count == 1
                    ? ReferenceCheckpointSchema.ForAdapter(architecture, domains[0])
                    : ReferenceCheckpointSchema.For(architecture, domains);
                AssertValid(file, schema, checkpoint.Tensors);
            }

            var stem = Path.GetFileNameWithoutExtension(file);
            if (byStem.TryGetValue(stem, out var other))
            {
                Assert.Equal(other, checkpoint.Tensors, TensorComparer.Instance);
            }
            else
            {
                byStem[stem] = checkpoint.Tensors;
            }
        }
    }

    private static CheckpointFormat? ExpectedFormat(string path) => Path.GetExtension(path) switch
    {
        ".safetensors" => CheckpointFormat.Safetensors,
        ".torchsharp" or ".bin" => CheckpointFormat.TorchSharp,
        _ => null,
    };

    private static void AssertValid(string file, CheckpointSchema schema, TensorMap tensors)
    {
        var problems = schema.Validate(tensors);
        Assert.True(problems.Count == 0, $"{file}:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
    }

    private sealed class TensorComparer : IEqualityComparer<NamedTensor>
    {
        public static readonly TensorComparer Instance = new();

        public bool Equals(NamedTensor? x, NamedTensor? y) =>
            x is not null && y is not null && x.Name == y.Name && x.DType == y.DType
            && x.Shape.AsSpan().SequenceEqual(y.Shape.AsSpan()) && x.Data.Span.SequenceEqual(y.Data.Span);

        public int GetHashCode(NamedTensor obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }
}
