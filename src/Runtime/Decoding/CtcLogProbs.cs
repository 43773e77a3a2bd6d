namespace SpeechServe.Runtime.Decoding;

/// <summary>Argument checks shared by the CTC decoders: log-probs are row-major <c>[frames, V]</c>.</summary>
internal static class CtcLogProbs
{
    public static int FrameCount(ReadOnlySpan<float> logProbs, int vocabularySize, string paramName)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabularySize, 2);
        if (logProbs.Length % vocabularySize != 0)
        {
            throw new ArgumentException($"{logProbs.Length} log-probs are not a whole number of frames of {vocabularySize}.", paramName);
        }

        return logProbs.Length / vocabularySize;
    }

    public static int ArgMax(ReadOnlySpan<float> row)
    {
        var best = 0;
        var bestValue = row[0];
        for (var i = 1; i < row.Length; i++)
        {
            if (row[i] > bestValue)
            {
                best = i;
                bestValue = row[i];
            }
        }

        return best;
    }

    /// <summary>The largest log-prob of a non-blank token (ids 1 and up) in <paramref name="row"/>.</summary>
    public static double MaxNonBlank(ReadOnlySpan<float> row)
    {
        var max = double.NegativeInfinity;
        for (var c = 1; c < row.Length; c++)
        {
            max = Math.Max(max, row[c]);
        }

        return max;
    }

    /// <summary>log(exp(a) + exp(b)) without overflow or loss for very negative arguments.</summary>
    public static double LogAdd(double a, double b)
    {
        if (double.IsNegativeInfinity(a))
        {
            return b;
        }

        if (double.IsNegativeInfinity(b))
        {
            return a;
        }

        return a > b ? a + Math.Log(1 + Math.Exp(b - a)) : b + Math.Log(1 + Math.Exp(a - b));
    }
}
