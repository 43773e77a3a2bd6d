using Microsoft.ML.OnnxRuntime;

namespace SpeechServe.Runtime.Translation;

/// <summary>
/// The step graph's per-utterance inputs for every decoder row: <c>cross_key</c>, <c>cross_value</c>
/// <c>[L, rows, H, T, dh]</c> from one <c>decoder_cross.onnx</c> run over the utterances zero-padded to the longest,
/// replicated to the rows of each utterance, and <c>encoder_lengths [rows]</c>, the valid frames.
/// </summary>
internal sealed class CrossAttentionInputs : IDisposable
{
    private readonly IDisposable? _crossResults;

    private CrossAttentionInputs(OrtValue key, OrtValue value, OrtValue lengths, int rows, IDisposable? crossResults)
    {
        Key = key;
        Value = value;
        Lengths = lengths;
        Rows = rows;
        var shape = key.GetTensorTypeAndShape().Shape;
        (Layers, Heads, HeadDimension) = ((int)shape[0], (int)shape[2], (int)shape[4]);
        _crossResults = crossResults;
    }

    public OrtValue Key { get; }

    public OrtValue Value { get; }

    public OrtValue Lengths { get; }

    public int Rows { get; }

    public int Layers { get; }

    public int Heads { get; }

    public int HeadDimension { get; }

    /// <param name="crossGraph">The <c>decoder_cross.onnx</c> session.</param>
    /// <param name="runOptions">Options of the run.</param>
    /// <param name="encoderOutputs">Each utterance's <c>encoder_out</c>, <c>[frames, D]</c>.</param>
    /// <param name="modelDimension"><c>D</c>.</param>
    /// <param name="rowUtterances">The utterance of each decoder row.</param>
    public static CrossAttentionInputs Compute(
        InferenceSession crossGraph, RunOptions runOptions, IReadOnlyList<float[]> encoderOutputs, int modelDimension, int[] rowUtterances)
    {
        var count = encoderOutputs.Count;
        var frames = encoderOutputs.Select(e => e.Length / modelDimension).ToArray();

        // At least one frame: an utterance with none still gets a (fully masked) frame to attend to.
        var longest = Math.Max(1, frames.Max());
        var padded = new float[count * longest * modelDimension];
        for (var u = 0; u < count; u++)
        {
            encoderOutputs[u].CopyTo(padded.AsSpan(u * longest * modelDimension));
        }

        var lengths = OrtValue.CreateTensorValueFromMemory(rowUtterances.Select(u => (long)frames[u]).ToArray(), [rowUtterances.Length]);
        IDisposableReadOnlyCollection<OrtValue> results;
        using (var input = OrtValue.CreateTensorValueFromMemory(padded, [count, longest, modelDimension]))
        {
            results = crossGraph.Run(runOptions, DecoderGraphNames.CrossInputs, [input], DecoderGraphNames.CrossOutputs);
        }

        if (BatchAxis.IsIdentity(rowUtterances) && rowUtterances.Length == count)
        {
            return new CrossAttentionInputs(results[0], results[1], lengths, count, results);
        }

        using (results)
        {
            var shape = results[0].GetTensorTypeAndShape().Shape;
            var rowSize = (int)(shape[2] * shape[3] * shape[4]);
            var key = BatchAxis.Gather(results[0].GetTensorDataAsSpan<float>(), (int)shape[0], count, rowSize, rowUtterances);
            var value = BatchAxis.Gather(results[1].GetTensorDataAsSpan<float>(), (int)shape[0], count, rowSize, rowUtterances);
            shape[1] = rowUtterances.Length;
            return new CrossAttentionInputs(
                OrtValue.CreateTensorValueFromMemory(key, shape), OrtValue.CreateTensorValueFromMemory(value, shape), lengths, rowUtterances.Length, null);
        }
    }

    /// <summary>An empty self-attention cache, <c>[L, rows, H, 0, dh]</c>: the past before the first step.</summary>
    public OrtValue EmptyPast() => OrtValue.CreateTensorValueFromMemory(Array.Empty<float>(), [Layers, Rows, Heads, 0, HeadDimension]);

    public void Dispose()
    {
        if (_crossResults is null)
        {
            Key.Dispose();
            Value.Dispose();
        }
        else
        {
            _crossResults.Dispose();
        }

        Lengths.Dispose();
    }
}
