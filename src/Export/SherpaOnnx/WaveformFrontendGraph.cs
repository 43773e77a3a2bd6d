using SpeechServe.Export.Encoder;
using SpeechServe.Export.Onnx;
using SpeechServe.Export.Onnx.Proto;
using SpeechServe.Runtime.Encoder;
using SpeechServe.Runtime.Features;
using SpeechServe.Runtime.Models;
using N = SpeechServe.Runtime.Encoder.EncoderGraphNames;

namespace SpeechServe.Export.SherpaOnnx;

/// <summary>
/// A graph from raw 16 kHz samples <c>[batch, samples]</c> to every input of <c>encoder.onnx</c>: the
/// log-mel frontend of docs/model.md (framing, periodic Hann window and 512-point DFT as one strided
/// convolution, power spectrum, HTK mel filters, <c>ln(max(x, 1e-10))</c>), features cut to a multiple of
/// 4 frames as the runtime does, empty streaming caches, and one domain's adapter and head as constants.
/// </summary>
public static class WaveformFrontendGraph
{
    /// <summary>The graph input: mono samples at 16 kHz.</summary>
    public const string Samples = "samples";

    /// <summary>Symbolic sample dimension of <see cref="Samples"/>.</summary>
    public const string SampleCount = "num_samples";

    /// <summary>Builds the graph.</summary>
    /// <param name="architecture">The encoder's hyper-parameters.</param>
    /// <param name="adapter">The adapter and head baked in; identity adapters for the base model.</param>
    /// <param name="inputGain">Samples are multiplied by this before the frontend.</param>
    public static ModelProto Build(EncoderArchitecture architecture, AdapterWeights adapter, float inputGain)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(adapter);
        var a = architecture;
        long layers = a.NumLayers, d = a.DModel, left = a.LeftContextFrames, k1 = a.ConvKernel - 1, r = a.AdapterDim, v = a.VocabSize;
        var g = new OnnxGraphBuilder("speechserve_waveform_frontend");

        var samples = g.Input(Samples, ElementType.Float, [N.Batch, SampleCount]);
        var batch = g.Shape(samples, 0, 1);
        var scaled = g.Mul(samples, g.Initializer("input_gain", [inputGain], []));
        var spectrum = g.Conv(
            g.Unsqueeze(scaled, 1),
            g.Initializer("dft_window", DftWindowRows(), [2 * LogMelSpec.FrequencyBins, 1, LogMelSpec.WindowLength]),
            GraphValue.Absent,
            new ConvOptions { KernelShape = [LogMelSpec.WindowLength], Strides = [LogMelSpec.HopLength] });
        var power = g.Transpose(g.Mul(spectrum, spectrum), 0, 2, 1);
        var mel = g.MatMul(power, g.Initializer("mel_filters", MelFiltersTwice(), [2 * LogMelSpec.FrequencyBins, LogMelSpec.MelBins]));
        var logMel = g.Node("Log", [g.Node("Max", [mel, g.Initializer("log_floor", [(float)LogMelSpec.LogFloor], [])])]);

        var subsampling = g.Int64Constant(EncoderArchitecture.Subsampling);
        var usableFrames = g.Mul(g.Div(g.Shape(logMel, 1, 2), subsampling), subsampling);
        var features = g.Slice(logMel, g.Int64Constant(0), usableFrames, g.Int64Constant(1));
        g.Output(features, ElementType.Float, [N.Batch, N.Frames, a.NMels], N.Features);
        g.Output(g.Node("Expand", [usableFrames, batch]), ElementType.Int64, [N.Batch], N.FeatureLengths);

        g.Output(Zeros(g, ElementType.Float, g.Int64Constant(layers), batch, g.Int64Constant(left, d)), ElementType.Float, [layers, N.Batch, left, d], N.AttentionCache);
        g.Output(Zeros(g, ElementType.Int64, batch), ElementType.Int64, [N.Batch], N.CacheLength);
        g.Output(Zeros(g, ElementType.Float, g.Int64Constant(layers), batch, g.Int64Constant(d, k1)), ElementType.Float, [layers, N.Batch, d, k1], N.ConvolutionCache);

        void PerElement(string name, ReadOnlyMemory<float> values, params long[] dims)
        {
            var constant = g.Initializer($"{name}_constant", values.Span, [1, .. dims]);
            var shape = g.Concat(0, batch, g.Int64Constant(dims));
            g.Output(g.Node("Expand", [constant, shape]), ElementType.Float, [N.Batch, .. dims.Select(x => (Dimension)x)], name);
        }

        PerElement(N.AdapterDown, adapter.Down, layers, d, r);
        PerElement(N.AdapterDownBias, adapter.DownBias, layers, r);
        PerElement(N.AdapterUp, adapter.Up, layers, r, d);
        PerElement(N.AdapterUpBias, adapter.UpBias, layers, d);
        PerElement(N.HeadWeight, adapter.Head, d, v);
        PerElement(N.HeadBias, adapter.HeadBias, v);
        return g.Build();
    }

    /// <summary>
    /// Convolution kernels <c>[514, 1, 400]</c>: rows 0..256 are <c>w[n] cos(2 pi k n / 512)</c>, rows
    /// 257..513 <c>w[n] sin(2 pi k n / 512)</c>, so squaring and summing the two halves gives the power spectrum.
    /// </summary>
    private static float[] DftWindowRows()
    {
        var window = LogMelSpec.PeriodicHann();
        var (bins, length) = (LogMelSpec.FrequencyBins, LogMelSpec.WindowLength);
        var rows = new float[2 * bins * length];
        for (var k = 0; k < bins; k++)
        {
            for (var n = 0; n < length; n++)
            {
                // (k * n) mod 512 keeps the angle small, so cos and sin stay exact to double precision.
                var angle = 2 * Math.PI * ((long)k * n % LogMelSpec.FftSize) / LogMelSpec.FftSize;
                rows[(k * length) + n] = (float)(window[n] * Math.Cos(angle));
                rows[((bins + k) * length) + n] = (float)(window[n] * Math.Sin(angle));
            }
        }

        return rows;
    }

    /// <summary>The mel filters <c>[257, 80]</c> stacked twice, once for the cosine and once for the sine rows.</summary>
    private static float[] MelFiltersTwice()
    {
        var filters = MelFilterBank.Reference;
        var (bins, mels) = (LogMelSpec.FrequencyBins, LogMelSpec.MelBins);
        var weights = new float[2 * bins * mels];
        for (var k = 0; k < bins; k++)
        {
            for (var m = 0; m < mels; m++)
            {
                weights[(k * mels) + m] = weights[((bins + k) * mels) + m] = (float)filters.Weight(k, m);
            }
        }

        return weights;
    }

    private static GraphValue Zeros(OnnxGraphBuilder g, ElementType type, params ReadOnlySpan<GraphValue> shapeParts)
    {
        var shape = shapeParts.Length == 1 ? shapeParts[0] : g.Concat(0, shapeParts);
        var zero = type == ElementType.Int64 ? TensorProtos.FromInt64s("value", [0], [1]) : TensorProtos.FromFloats("value", [0f], [1]);
        return g.Node("ConstantOfShape", [shape], OnnxAttributes.Tensor("value", zero));
    }
}
