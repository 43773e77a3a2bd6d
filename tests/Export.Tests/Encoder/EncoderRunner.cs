using Microsoft.ML.OnnxRuntime;
using SpeechServe.Runtime.Encoder;
using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Export.Tests.Encoder;

/// <summary>The outputs of one encoder call, copied out of ONNX Runtime's buffers.</summary>
public sealed record EncoderOutputs(float[] LogProbs, float[] EncoderOut, long[] OutputLengths, float[] AttentionCache, long[] CacheLength, float[] ConvolutionCache);

/// <summary>Runs an exported encoder through ONNX Runtime.</summary>
public sealed class EncoderRunner : IDisposable
{
    private readonly InferenceSession _session;

    /// <summary>Opens a session on <paramref name="modelPath"/>.</summary>
    public EncoderRunner(string modelPath)
    {
        _session = new InferenceSession(modelPath);
    }

    /// <summary>Runs one call; every input is given as a checkpoint-style tensor keyed by graph input name.</summary>
    public EncoderOutputs Run(IReadOnlyDictionary<string, NamedTensor> inputs)
    {
        var tensors = EncoderGraphNames.Inputs.Select(name => ToOrt(inputs[name])).ToArray();
        try
        {
            using var runOptions = new RunOptions();
            using var results = _session.Run(runOptions, EncoderGraphNames.Inputs, tensors, EncoderGraphNames.Outputs);
            float[] Floats(string name) => results[IndexOf(name)].GetTensorDataAsSpan<float>().ToArray();
            long[] Longs(string name) => results[IndexOf(name)].GetTensorDataAsSpan<long>().ToArray();
            return new EncoderOutputs(
                Floats(EncoderGraphNames.LogProbs),
                Floats(EncoderGraphNames.EncoderOut),
                Longs(EncoderGraphNames.OutputLengths),
                Floats(EncoderGraphNames.AttentionCacheOut),
                Longs(EncoderGraphNames.CacheLengthOut),
                Floats(EncoderGraphNames.ConvolutionCacheOut));
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

    private static int IndexOf(string output) => EncoderGraphNames.Outputs.ToList().IndexOf(output);

    /// <summary>A copy of <paramref name="tensor"/> as an ONNX Runtime input.</summary>
    internal static OrtValue ToOrt(NamedTensor tensor) => tensor.DType switch
    {
        TensorDType.Float32 => OrtValue.CreateTensorValueFromMemory(tensor.AsSpan<float>().ToArray(), [.. tensor.Shape]),
        TensorDType.Int64 => OrtValue.CreateTensorValueFromMemory(tensor.AsSpan<long>().ToArray(), [.. tensor.Shape]),
        _ => throw new ArgumentException($"Unexpected input dtype {tensor.DType} of '{tensor.Name}'."),
    };
}
