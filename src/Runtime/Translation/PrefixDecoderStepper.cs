using Microsoft.ML.OnnxRuntime;

namespace SpeechServe.Runtime.Translation;

/// <summary>
/// Steps <c>decoder.onnx</c> without its cache: each step re-runs the whole prefix (<c>&lt;s&gt;</c> and every token so
/// far, <c>P = 0</c>) and keeps the last position's logits. The reference for the cached path, and its benchmark baseline.
/// </summary>
internal sealed class PrefixDecoderStepper(InferenceSession stepGraph, RunOptions runOptions, CrossAttentionInputs cross, int vocabularySize)
    : IDecoderStepper
{
    private readonly float[] _logits = new float[cross.Rows * vocabularySize];
    private long[] _prefixes = [];
    private int _length;

    public ReadOnlySpan<float> Step(ReadOnlySpan<long> tokens, ReadOnlySpan<int> sourceRows)
    {
        var rows = cross.Rows;
        var previous = BatchAxis.Gather<long>(_prefixes, 1, rows, _length, sourceRows);
        _length++;
        _prefixes = new long[rows * _length];
        for (var r = 0; r < rows; r++)
        {
            previous.AsSpan(r * (_length - 1), _length - 1).CopyTo(_prefixes.AsSpan(r * _length));
            _prefixes[(r * _length) + _length - 1] = tokens[r];
        }

        using var tokenTensor = OrtValue.CreateTensorValueFromMemory(_prefixes, [rows, _length]);
        using var pastKey = cross.EmptyPast();
        using var pastValue = cross.EmptyPast();
        using var results = stepGraph.Run(
            runOptions,
            DecoderGraphNames.StepInputs, [tokenTensor, pastKey, pastValue, cross.Key, cross.Value, cross.Lengths], [DecoderGraphNames.Logits]);
        StepLogits.Last(results[0], rows, vocabularySize).CopyTo(_logits);
        return _logits;
    }
}
