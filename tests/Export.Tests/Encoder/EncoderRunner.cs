using SpeechServe.Export.Encoder;
using SpeechServe.Runtime.Onnx;
using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Export.Tests.Encoder;

/// <summary>The outputs of one encoder call, copied out of ONNX Runtime's buffers.</summary>
public sealed record EncoderOutputs(float[] LogProbs, float[] EncoderOut, long[] OutputLengths, float[] AttentionCache, long[] CacheLength, float[] ConvolutionCache);

/// <summary>Runs an exported encoder through our ONNX Runtime binding.</summary>
public sealed class EncoderRunner : IDisposable
{
    private readonly OnnxSession _session;

    /// <summary>Opens a session on <paramref name="modelPath"/>.</summary>
    public EncoderRunner(OnnxEnvironment environment, string modelPath)
    {
        _session = environment.CreateSession(modelPath, new OnnxSessionOptions { IntraOpThreads = 2 });
    }

    /// <summary>Runs one call; every input is given as a checkpoint-style tensor keyed by graph input name.</summary>
    public EncoderOutputs Run(IReadOnlyDictionary<string, NamedTensor> inputs)
    {
        var tensors = EncoderGraphNames.Inputs.Select(name => ToOrt(inputs[name])).ToArray();
        try
        {
            using var results = _session.Run([.. EncoderGraphNames.Inputs], tensors);
            return new EncoderOutputs(
                results[EncoderGraphNames.LogProbs].ToArray<float>(),
                results[EncoderGraphNames.EncoderOut].ToArray<float>(),
                results[EncoderGraphNames.OutputLengths].ToArray<long>(),
                results[EncoderGraphNames.AttentionCacheOut].ToArray<float>(),
                results[EncoderGraphNames.CacheLengthOut].ToArray<long>(),
                results[EncoderGraphNames.ConvolutionCacheOut].ToArray<float>());
        }
        finally
        {
            foreach (var tensor in tensors)
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>The graph inputs stored in the golden file under <paramref name="prefix"/> (e.g. <c>encoder.</c>).</summary>
    public static Dictionary<string, NamedTensor> GoldenInputs(TensorMap golden, string prefix) =>
        EncoderGraphNames.Inputs
            .Where(name => golden.Contains(prefix + name))
            .ToDictionary(name => name, name => golden[prefix + name]);

    /// <summary>The largest absolute element difference.</summary>
    public static double MaxAbsDiff(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var max = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            max = Math.Max(max, Math.Abs(expected[i] - actual[i]));
        }

        return max;
    }

    /// <inheritdoc/>
    public void Dispose() => _session.Dispose();

    /// <summary>A copy of <paramref name="tensor"/> as an ONNX Runtime input.</summary>
    internal static OnnxTensor ToOrt(NamedTensor tensor) => tensor.DType switch
    {
        TensorDType.Float32 => OnnxTensor.Create(tensor.AsSpan<float>().ToArray(), tensor.Shape.AsSpan()),
        TensorDType.Int64 => OnnxTensor.Create(tensor.AsSpan<long>().ToArray(), tensor.Shape.AsSpan()),
        _ => throw new ArgumentException($"Unexpected input dtype {tensor.DType} of '{tensor.Name}'."),
    };
}
