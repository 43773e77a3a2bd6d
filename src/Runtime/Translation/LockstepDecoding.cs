namespace SpeechServe.Runtime.Translation;

/// <summary>
/// Drives the searches of several requests over one decoder in lockstep: every row is fed one token per step;
/// each search owns a contiguous block of rows. A finished search's rows keep stepping (fed <c>&lt;/s&gt;</c>, their
/// logits ignored) until every search has finished.
/// </summary>
internal static class LockstepDecoding
{
    /// <summary>Runs <paramref name="searches"/> to the end; their results are in <see cref="TokenSearch.Tokens"/>.</summary>
    /// <returns>The number of decoder steps run.</returns>
    public static int Run(IReadOnlyList<TokenSearch> searches, IDecoderStepper stepper, int vocabularySize)
    {
        var rows = searches.Sum(s => s.Rows);
        var tokens = new long[rows];
        Array.Fill(tokens, TranslationVocabulary.Bos);
        var sourceRows = Enumerable.Range(0, rows).ToArray();
        var maxSteps = searches.Max(s => s.MaxTokens);
        var steps = 0;
        while (steps < maxSteps && searches.Any(s => !s.IsFinished))
        {
            var logits = stepper.Step(tokens, sourceRows);
            steps++;
            var first = 0;
            foreach (var search in searches)
            {
                var ownTokens = tokens.AsSpan(first, search.Rows);
                var ownSources = sourceRows.AsSpan(first, search.Rows);
                if (search.IsFinished)
                {
                    ownTokens.Fill(TranslationVocabulary.Eos);
                    for (var row = 0; row < ownSources.Length; row++)
                    {
                        ownSources[row] = first + row;
                    }
                }
                else
                {
                    search.Advance(logits.Slice(first * vocabularySize, search.Rows * vocabularySize), vocabularySize, ownTokens, ownSources);
                    for (var row = 0; row < ownSources.Length; row++)
                    {
                        ownSources[row] += first;
                    }
                }

                first += search.Rows;
            }
        }

        return steps;
    }
}
