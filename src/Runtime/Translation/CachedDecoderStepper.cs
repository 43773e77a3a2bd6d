using Microsoft.ML.OnnxRuntime;

namespace SpeechServe.Runtime.Translation;

/// <summary>
/// Steps <c>decoder.onnx</c> one token at a time with its key/value cache fed back: each step's
/// <c>present_key</c>/<c>present_value</c> become the next step's <c>past_key</c>/<c>past_value</c>, as they are when
/// the rows keep their order and gathered along the batch axis when a beam search reorders them.
/// </summary>
internal sealed class CachedDecoderStepper(InferenceSession stepGraph, RunOptions runOptions, CrossAttentionInputs cross, int vocabularySize)
    : IDecoderStepper, IDisposable
{
    private IDisposableReadOnlyCollection<OrtValue>? _last;

    public ReadOnlySpan<float> Step(ReadOnlySpan<long> tokens, ReadOnlySpan<int> sourceRows)
    {
        var rows = cross.Rows;
        var (key, value, ownsPast) = Past(sourceRows);
        IDisposableReadOnlyCollection<OrtValue> results;
        try
        {
            using var tokenTensor = OrtValue.CreateTensorValueFromMemory(tokens.ToArray(), [rows, 1]);
            results = stepGraph.Run(
                runOptions, DecoderGraphNames.StepInputs, [tokenTensor, key, value, cross.Key, cross.Value, cross.Lengths], DecoderGraphNames.StepOutputs);
        }
        finally
        {
            if (ownsPast)
            {
                key.Dispose();
                value.Dispose();
            }
        }

        _last?.Dispose();
        _last = results;
        return StepLogits.Last(results[0], rows, vocabularySize);
    }

    public void Dispose() => _last?.Dispose();

    private (OrtValue Key, OrtValue Value, bool Owned) Past(ReadOnlySpan<int> sourceRows)
    {
        if (_last is null)
        {
            return (cross.EmptyPast(), cross.EmptyPast(), true);
        }

        var (presentKey, presentValue) = (_last[1], _last[2]);
        if (BatchAxis.IsIdentity(sourceRows))
        {
            return (presentKey, presentValue, false);
        }

        var shape = presentKey.GetTensorTypeAndShape().Shape;
        var rowSize = (int)(shape[2] * shape[3] * shape[4]);
        var key = BatchAxis.Gather(presentKey.GetTensorDataAsSpan<float>(), (int)shape[0], cross.Rows, rowSize, sourceRows);
        var value = BatchAxis.Gather(presentValue.GetTensorDataAsSpan<float>(), (int)shape[0], cross.Rows, rowSize, sourceRows);
        return (OrtValue.CreateTensorValueFromMemory(key, shape), OrtValue.CreateTensorValueFromMemory(value, shape), true);
    }
}
