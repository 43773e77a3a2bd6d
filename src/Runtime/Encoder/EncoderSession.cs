using Microsoft.ML.OnnxRuntime;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Onnx;

namespace SpeechServe.Runtime.Encoder;

/// <summary>
/// Runs the adapter-aware streaming encoder graph (<c>encoder.onnx</c>, docs/model.md) for a batch whose
/// elements may each use a different domain adapter. The session is loaded once and shared by every
/// domain; adapters arrive as inputs, so swapping one never touches the session.
/// </summary>
public sealed class EncoderSession : IDisposable
{
    private static readonly string[] OutputNames =
    [
        EncoderGraphNames.LogProbs, EncoderGraphNames.OutputLengths, EncoderGraphNames.AttentionCacheOut,
        EncoderGraphNames.CacheLengthOut, EncoderGraphNames.ConvolutionCacheOut,
    ];

    private static readonly string[] OutputNamesWithEncoderOutput = [.. OutputNames, EncoderGraphNames.EncoderOut];

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();

    /// <summary>Takes ownership of <paramref name="session"/>, an encoder built for <paramref name="architecture"/>.</summary>
    /// <param name="session">The loaded <c>encoder.onnx</c>.</param>
    /// <param name="architecture">The encoder's hyper-parameters.</param>
    /// <param name="executionProvider">The provider <paramref name="session"/> runs on.</param>
    public EncoderSession(InferenceSession session, EncoderArchitecture architecture, OnnxExecutionProvider executionProvider)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(architecture);
        var missing = EncoderGraphNames.Inputs.Except(session.InputNames).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"The encoder graph lacks the inputs {string.Join(", ", missing)}; export it with this version of the exporter.");
        }

        _session = session;
        Architecture = architecture;
        ExecutionProvider = executionProvider;
        HasEncoderOutput = session.OutputNames.Contains(EncoderGraphNames.EncoderOut);
    }

    /// <summary>The execution provider the encoder runs on (after any fallback to the CPU).</summary>
    public OnnxExecutionProvider ExecutionProvider { get; }

    /// <summary>The encoder's hyper-parameters.</summary>
    public EncoderArchitecture Architecture { get; }

    /// <summary>Whether the graph outputs <c>encoder_out</c>, the input of translation decoders.</summary>
    public bool HasEncoderOutput { get; }

    /// <summary>
    /// Runs one call. Every call of a stream starts on an attention-chunk boundary; a call shorter than
    /// its padded length ends that stream.
    /// </summary>
    /// <param name="features">Log-mel features <c>[B, frames, n_mels]</c>, zero-padded.</param>
    /// <param name="frames">Feature frames per row: a multiple of 4.</param>
    /// <param name="featureLengths">Valid feature frames per element.</param>
    /// <param name="state">Caches from the previous call, or <see cref="EncoderState.Empty"/>.</param>
    /// <param name="adapters">Each element's adapter and head.</param>
    /// <param name="fetchEncoderOutput">Also return <c>encoder_out</c> (<see cref="EncoderStepResult.EncoderOutput"/>).</param>
    public EncoderStepResult Run(
        float[] features, int frames, long[] featureLengths, EncoderState state, IReadOnlyList<AdapterWeights> adapters, bool fetchEncoderOutput = false)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(featureLengths);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(adapters);
        var a = Architecture;
        var batch = featureLengths.Length;
        if (frames % EncoderArchitecture.Subsampling != 0)
        {
            throw new ArgumentException($"frames ({frames}) must be a multiple of {EncoderArchitecture.Subsampling}.", nameof(frames));
        }

        if (features.Length != (long)batch * frames * a.NMels || adapters.Count != batch || state.BatchSize != batch)
        {
            throw new ArgumentException("features, feature lengths, state and adapters must describe the same batch.");
        }

        if (fetchEncoderOutput && !HasEncoderOutput)
        {
            throw new InvalidOperationException($"The encoder graph has no {EncoderGraphNames.EncoderOut} output; export it with this version of the exporter.");
        }

        var (n, d, r, v, l, k1) = (a.NumLayers, a.DModel, a.AdapterDim, a.VocabSize, a.LeftContextFrames, a.ConvKernel - 1);
        var inputs = new OrtValue[EncoderGraphNames.Inputs.Count];
        try
        {
            inputs[0] = OrtValue.CreateTensorValueFromMemory(features, [batch, frames, a.NMels]);
            inputs[1] = OrtValue.CreateTensorValueFromMemory(featureLengths, [batch]);
            inputs[2] = OrtValue.CreateTensorValueFromMemory(state.AttentionCache, [n, batch, l, d]);
            inputs[3] = OrtValue.CreateTensorValueFromMemory(state.CacheLength, [batch]);
            inputs[4] = OrtValue.CreateTensorValueFromMemory(state.ConvolutionCache, [n, batch, d, k1]);
            inputs[5] = OrtValue.CreateTensorValueFromMemory(Stack(adapters, w => w.Down), [batch, n, d, r]);
            inputs[6] = OrtValue.CreateTensorValueFromMemory(Stack(adapters, w => w.DownBias), [batch, n, r]);
            inputs[7] = OrtValue.CreateTensorValueFromMemory(Stack(adapters, w => w.Up), [batch, n, r, d]);
            inputs[8] = OrtValue.CreateTensorValueFromMemory(Stack(adapters, w => w.UpBias), [batch, n, d]);
            inputs[9] = OrtValue.CreateTensorValueFromMemory(Stack(adapters, w => w.Head), [batch, d, v]);
            inputs[10] = OrtValue.CreateTensorValueFromMemory(Stack(adapters, w => w.HeadBias), [batch, v]);

            using var results = _session.Run(_runOptions, EncoderGraphNames.Inputs, inputs, fetchEncoderOutput ? OutputNamesWithEncoderOutput : OutputNames);
            var newState = new EncoderState(batch, ToArray<float>(results[2]), ToArray<long>(results[3]), ToArray<float>(results[4]));
            var logProbs = results[0];
            return new EncoderStepResult(ToArray<float>(logProbs), (int)logProbs.GetTensorTypeAndShape().Shape[1], ToArray<long>(results[1]), newState)
            {
                EncoderOutput = fetchEncoderOutput ? ToArray<float>(results[5]) : null,
            };
        }
        finally
        {
            foreach (var tensor in inputs)
            {
                tensor?.Dispose();
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }

    private static T[] ToArray<T>(OrtValue value)
        where T : unmanaged => value.GetTensorDataAsSpan<T>().ToArray();

    private static float[] Stack(IReadOnlyList<AdapterWeights> adapters, Func<AdapterWeights, ReadOnlyMemory<float>> part)
    {
        var size = part(adapters[0]).Length;
        var stacked = new float[adapters.Count * size];
        for (var b = 0; b < adapters.Count; b++)
        {
            part(adapters[b]).Span.CopyTo(stacked.AsSpan(b * size, size));
        }

        return stacked;
    }
}
