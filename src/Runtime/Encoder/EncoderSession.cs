using System.Buffers;
using System.Runtime.InteropServices;
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

    // Log-probabilities and output lengths only: the last call of a stream has no use for the caches.
    private static readonly string[] OutputNamesWithoutState = [EncoderGraphNames.LogProbs, EncoderGraphNames.OutputLengths];

    private static readonly string[] OutputNamesWithEncoderOutputWithoutState = [.. OutputNamesWithoutState, EncoderGraphNames.EncoderOut];

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
    /// its padded length ends that stream. The inputs are read in place, not copied (a batch of several adapters is
    /// stacked into pooled buffers); they must not change until the call returns.
    /// </summary>
    /// <param name="features">Log-mel features <c>[B, frames, n_mels]</c>, zero-padded.</param>
    /// <param name="frames">Feature frames per row: a multiple of 4.</param>
    /// <param name="featureLengths">Valid feature frames per element.</param>
    /// <param name="state">Caches from the previous call, or <see cref="EncoderState.Empty"/>.</param>
    /// <param name="adapters">Each element's adapter and head.</param>
    /// <param name="fetchEncoderOutput">Also return <c>encoder_out</c> (<see cref="EncoderStepResult.EncoderOutput"/>).</param>
    /// <param name="fetchState">Return the caches after the call (<see cref="EncoderStepResult.State"/>); the last call
    /// of a stream need not copy them out.</param>
    public EncoderStepResult Run(
        ReadOnlyMemory<float> features, int frames, long[] featureLengths, EncoderState state, IReadOnlyList<AdapterWeights> adapters,
        bool fetchEncoderOutput = false, bool fetchState = true)
    {
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
        var stacks = new List<float[]>();
        try
        {
            inputs[0] = Tensor(features, [batch, frames, a.NMels]);
            inputs[1] = OrtValue.CreateTensorValueFromMemory(featureLengths, [batch]);
            inputs[2] = OrtValue.CreateTensorValueFromMemory(state.AttentionCache, [n, batch, l, d]);
            inputs[3] = OrtValue.CreateTensorValueFromMemory(state.CacheLength, [batch]);
            inputs[4] = OrtValue.CreateTensorValueFromMemory(state.ConvolutionCache, [n, batch, d, k1]);
            inputs[5] = Tensor(Stack(adapters, w => w.Down, stacks), [batch, n, d, r]);
            inputs[6] = Tensor(Stack(adapters, w => w.DownBias, stacks), [batch, n, r]);
            inputs[7] = Tensor(Stack(adapters, w => w.Up, stacks), [batch, n, r, d]);
            inputs[8] = Tensor(Stack(adapters, w => w.UpBias, stacks), [batch, n, d]);
            inputs[9] = Tensor(Stack(adapters, w => w.Head, stacks), [batch, d, v]);
            inputs[10] = Tensor(Stack(adapters, w => w.HeadBias, stacks), [batch, v]);

            using var results = _session.Run(_runOptions, EncoderGraphNames.Inputs, inputs, SelectOutputs(fetchEncoderOutput, fetchState));
            var logProbs = results[0];
            var newState = fetchState ? new EncoderState(batch, ToArray<float>(results[2]), ToArray<long>(results[3]), ToArray<float>(results[4])) : null;
            return new EncoderStepResult(ToArray<float>(logProbs), (int)logProbs.GetTensorTypeAndShape().Shape[1], ToArray<long>(results[1]), newState)
            {
                EncoderOutput = fetchEncoderOutput ? ToArray<float>(results[^1]) : null,
            };
        }
        finally
        {
            foreach (var tensor in inputs)
            {
                tensor?.Dispose();
            }

            stacks.ForEach(stack => ArrayPool<float>.Shared.Return(stack));
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

    /// <summary>A tensor over <paramref name="values"/> in place: the caller keeps them unchanged until the run returns.</summary>
    private static OrtValue Tensor(ReadOnlyMemory<float> values, long[] shape) =>
        OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, MemoryMarshal.AsMemory(values), shape);

    private static string[] SelectOutputs(bool fetchEncoderOutput, bool fetchState) => (fetchEncoderOutput, fetchState) switch
    {
        (false, true) => OutputNames,
        (true, true) => OutputNamesWithEncoderOutput,
        (false, false) => OutputNamesWithoutState,
        (true, false) => OutputNamesWithEncoderOutputWithoutState,
    };

    /// <summary>
    /// One part of every element's adapter, <c>[B, ...]</c>: a lone adapter's own weights, else a copy of each into a
    /// buffer from the shared pool, added to <paramref name="rented"/> for the caller to return.
    /// </summary>
    private static ReadOnlyMemory<float> Stack(IReadOnlyList<AdapterWeights> adapters, Func<AdapterWeights, ReadOnlyMemory<float>> part, List<float[]> rented)
    {
        var size = part(adapters[0]).Length;
        if (adapters.Count == 1)
        {
            return part(adapters[0]);
        }

        var stacked = ArrayPool<float>.Shared.Rent(adapters.Count * size);
        rented.Add(stacked);
        for (var b = 0; b < adapters.Count; b++)
        {
            part(adapters[b]).Span.CopyTo(stacked.AsSpan(b * size, size));
        }

        return stacked.AsMemory(0, adapters.Count * size);
    }
}
