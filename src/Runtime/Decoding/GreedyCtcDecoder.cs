namespace SpeechServe.Runtime.Decoding;

/// <summary>
/// Best-path CTC decoding: the most likely symbol on every frame, repeats collapsed, blanks (id 0) dropped.
/// A token's frames are its run of consecutive frames in the best path.
/// </summary>
public static class GreedyCtcDecoder
{
    /// <summary>Decodes row-major log-probs <c>[frames, vocabularySize]</c>.</summary>
    /// <exception cref="ArgumentException">The length is not a multiple of <paramref name="vocabularySize"/>.</exception>
    public static CtcHypothesis Decode(ReadOnlySpan<float> logProbs, int vocabularySize)
    {
        var frames = CtcLogProbs.FrameCount(logProbs, vocabularySize, nameof(logProbs));
        var tokens = new List<AlignedToken>();
        var previous = 0;
        var runStart = 0;
        double score = 0;
        for (var t = 0; t < frames; t++)
        {
            var row = logProbs.Slice(t * vocabularySize, vocabularySize);
            var symbol = CtcLogProbs.ArgMax(row);
            score += row[symbol];
            if (symbol == previous)
            {
                continue;
            }

            if (previous != 0)
            {
                tokens.Add(new AlignedToken(previous, runStart, t));
            }

            previous = symbol;
            runStart = t;
        }

        if (previous != 0)
        {
            tokens.Add(new AlignedToken(previous, runStart, frames));
        }

        return new CtcHypothesis(tokens, score, frames);
    }
}
