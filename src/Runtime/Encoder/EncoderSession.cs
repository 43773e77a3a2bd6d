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
    private static readonly string[] InputNames =
    [
        "features", "feature_lengths", "attn_cache", "cache_len", "conv_cache",
        "adapter_down", "adapter_down_bias", "adapter_up", "adapter_up_bias", "head_weight", "head_bias",
    ];

    private const string EncoderOutputName = "encoder_out";

    private static readonly string[] OutputNames = ["log_probs", "output_lengths", "attn_cache_out", "cache_len_out", "conv_cache_out"];

    private static readonly string[] OutputNamesWithEncoderOutput = [.. OutputNames, EncoderOutputName];

    private readonly OnnxSession _session;

    /// <summary>Takes ownership of <paramref name="session"/>, an encoder built for <paramref name="architecture"/>.</summary>
    public EncoderSession(OnnxSession session, EncoderArchitecture architecture)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(architecture);
        var missing = InputNames.Except(session.Inputs.Select(i => i.Name)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"The encoder graph lacks the inputs {string.Join(", ", missing)}; export it with this version of the exporter.");
        }

        _session = session;
        Architecture = architecture;
        HasEncoderOutput = session.Outputs.Any(o => o.Name == EncoderOutputName);
    }

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
            throw new InvalidOperationException($"The encoder graph has no {EncoderOutputName} output; export it with this version of the exporter.");
        }

        var (n, d, r, v, l, k1) = (a.NumLayers, a.DModel, a.AdapterDim, a.VocabSize, a.LeftContextFrames, a.ConvKernel - 1);
        var inputs = new OnnxTensor[InputNames.Length];
        try
        {
            inputs[0] = OnnxTensor.Create(features, batch, frames, a.NMels);
            inputs[1] = OnnxTensor.Create(featureLengths, batch);
            inputs[2] = OnnxTensor.Create(state.AttentionCache, n, batch, l, d);
            inputs[3] = OnnxTensor.Create(state.CacheLength, batch);
            inputs[4] = OnnxTensor.Create(state.ConvolutionCache, n, batch, d, k1);
            inputs[5] = OnnxTensor.Create(Stack(adapters, w => w.Down), batch, n, d, r);
            inputs[6] = OnnxTensor.Create(Stack(adapters, w => w.DownBias), batch, n, r);
            inputs[7] = OnnxTensor.Create(Stack(adapters, w => w.Up), batch, n, r, d);
            inputs[8] = OnnxTensor.Create(Stack(adapters, w => w.UpBias), batch, n, d);
            inputs[9] = OnnxTensor.Create(Stack(adapters, w => w.Head), batch, d, v);
            inputs[10] = OnnxTensor.Create(Stack(adapters, w => w.HeadBias), batch, v);

            using var results = _session.Run(InputNames, inputs, fetchEncoderOutput ? OutputNamesWithEncoderOutput : OutputNames);
            var newState = new EncoderState(batch, results[2].ToArray<float>(), results[3].ToArray<long>(), results[4].ToArray<float>());
            return new EncoderStepResult(results[0].ToArray<float>(), (int)results[0].Shape[1], results[1].ToArray<long>(), newState)
            {
                EncoderOutput = fetchEncoderOutput ? results[5].ToArray<float>() : null,
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
    public void Dispose() => _session.Dispose();

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
