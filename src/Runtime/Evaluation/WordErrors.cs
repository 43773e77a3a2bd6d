namespace SpeechServe.Runtime.Evaluation;

/// <summary>Word-level edit distance between a reference and a hypothesis, for word error rates of real models.</summary>
public static class WordErrors
{
    /// <summary>The words of <paramref name="text"/>, split on spaces.</summary>
    public static string[] Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Substitutions, insertions and deletions that turn <paramref name="reference"/> into <paramref name="hypothesis"/>.</summary>
    public static int Distance(string[] reference, string[] hypothesis)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(hypothesis);
        var previous = Enumerable.Range(0, hypothesis.Length + 1).ToArray();
        for (var i = 1; i <= reference.Length; i++)
        {
            var current = new int[hypothesis.Length + 1];
            current[0] = i;
            for (var j = 1; j <= hypothesis.Length; j++)
            {
                var substitution = previous[j - 1] + (string.Equals(reference[i - 1], hypothesis[j - 1], StringComparison.Ordinal) ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            previous = current;
        }

        return previous[hypothesis.Length];
    }
}
