using SpeechServe.Runtime.Decoding;

namespace SpeechServe.Runtime.Tests.Decoding;

/// <summary>Vocabularies and log-prob matrices with known answers.</summary>
internal static class CtcTestData
{
    /// <summary>The reference vocabulary of docs/model.md: blank, ▁, a..z, apostrophe (V = 29).</summary>
    public static TokenVocabulary Reference { get; } = TokenVocabulary.FromTokens(
        ["<blank>", "\u2581", .. Enumerable.Range('a', 26).Select(c => ((char)c).ToString()), "'"]);

    /// <summary>
    /// One frame per character of <paramref name="path"/> (<c>_</c> blank, <c>|</c> word boundary, letters),
    /// the named symbol holding <paramref name="dominant"/> of the probability and the rest spread evenly.
    /// </summary>
    public static float[] Peaky(string path, double dominant = 0.9)
    {
        var v = Reference.Count;
        var logProbs = new float[path.Length * v];
        for (var t = 0; t < path.Length; t++)
        {
            var id = IdOf(path[t]);
            for (var c = 0; c < v; c++)
            {
                logProbs[(t * v) + c] = (float)Math.Log(c == id ? dominant : (1 - dominant) / (v - 1));
            }
        }

        return logProbs;
    }

    public static int IdOf(char symbol) => symbol switch
    {
        '_' => 0,
        '|' => 1,
        _ => Reference.TryGetId(symbol.ToString(), out var id) ? id : throw new ArgumentOutOfRangeException(nameof(symbol)),
    };

    /// <summary>Log of the given per-frame probabilities (each row normalised).</summary>
    public static float[] FromProbabilities(params double[][] rows)
    {
        var v = rows[0].Length;
        var logProbs = new float[rows.Length * v];
        for (var t = 0; t < rows.Length; t++)
        {
            var sum = rows[t].Sum();
            for (var c = 0; c < v; c++)
            {
                logProbs[(t * v) + c] = (float)Math.Log(rows[t][c] / sum);
            }
        }

        return logProbs;
    }

    /// <summary>Random CTC-like posteriors: each frame has one symbol with 0.7..0.99 of the mass, blank half the time.</summary>
    public static float[] RandomPeaky(Random random, int frames, int v)
    {
        var rows = new double[frames][];
        for (var t = 0; t < frames; t++)
        {
            var dominant = random.NextDouble() < 0.5 ? 0 : random.Next(1, v);
            var share = 0.7 + (0.29 * random.NextDouble());
            var rest = Enumerable.Range(0, v).Select(_ => random.NextDouble()).ToArray();
            rest[dominant] = 0;
            var restSum = rest.Sum();
            rows[t] = rest.Select((r, c) => c == dominant ? share : (1 - share) * r / restSum).ToArray();
        }

        return FromProbabilities(rows);
    }

    /// <summary>Random flat posteriors: softmax of Gaussian logits.</summary>
    public static float[] RandomFlat(Random random, int frames, int v, double scale = 2)
    {
        var rows = new double[frames][];
        for (var t = 0; t < frames; t++)
        {
            rows[t] = Enumerable.Range(0, v).Select(_ => Math.Exp(scale * Gaussian(random))).ToArray();
        }

        return FromProbabilities(rows);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
