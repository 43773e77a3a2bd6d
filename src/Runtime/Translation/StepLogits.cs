using Microsoft.ML.OnnxRuntime;

namespace SpeechServe.Runtime.Translation;

/// <summary>Reads the step graph's <c>logits [rows, S, V]</c>.</summary>
internal static class StepLogits
{
    /// <summary>The last position's logits of every row, <c>[rows, V]</c>: a view when S is 1, else a copy.</summary>
    /// <exception cref="InvalidDataException">The logits are not <c>[rows, S, V]</c>: the graph does not fit the vocabulary.</exception>
    public static ReadOnlySpan<float> Last(OrtValue logits, int rows, int vocabularySize)
    {
        var shape = logits.GetTensorTypeAndShape().Shape;
        if (shape.Length != 3 || shape[0] != rows || shape[2] != vocabularySize)
        {
            throw new InvalidDataException(
                $"decoder.onnx returned logits [{string.Join(", ", shape)}] for {rows} rows; the vocabulary has {vocabularySize} tokens.");
        }

        var positions = (int)shape[1];
        var data = logits.GetTensorDataAsSpan<float>();
        if (positions == 1)
        {
            return data;
        }

        var last = new float[rows * vocabularySize];
        for (var r = 0; r < rows; r++)
        {
            data.Slice(((r * positions) + positions - 1) * vocabularySize, vocabularySize).CopyTo(last.AsSpan(r * vocabularySize));
        }

        return last;
    }
}
