namespace SpeechServe.Runtime.Decoding;

/// <summary>
/// CTC prefix beam search (Hannun et al., 2014) in log space: ranks label sequences by the probability
/// summed over all their alignments, so it can find a labelling whose probability mass is spread over many
/// paths when no single path of it is the best one (which greedy decoding misses). Timestamps come from the
/// best single alignment of the chosen labelling among the alignments the beam kept.
/// </summary>
/// <remarks>
/// With a beam width of 1 the result equals greedy decoding whenever each frame has a clearly dominant symbol
/// (peaky posteriors, as trained CTC models produce); on flat posteriors the two can legitimately differ,
/// because the beam scores labellings and greedy scores paths.
/// </remarks>
/// <param name="beamWidth">Prefixes kept after each frame (at least 1).</param>
/// <param name="tokenPruneLogProb">
/// Per frame, tokens whose log-prob is more than this below the frame's best are not tried as extensions.
/// </param>
public sealed class CtcPrefixBeamSearch(int beamWidth = 8, double tokenPruneLogProb = 20)
{
    /// <summary>Prefixes kept after each frame.</summary>
    public int BeamWidth { get; } = beamWidth >= 1 ? beamWidth : throw new ArgumentOutOfRangeException(nameof(beamWidth), beamWidth, "The beam width must be at least 1.");

    /// <summary>Decodes row-major log-probs <c>[frames, vocabularySize]</c> (blank = id 0).</summary>
    /// <exception cref="ArgumentException">The length is not a multiple of <paramref name="vocabularySize"/>.</exception>
    public CtcHypothesis Decode(ReadOnlySpan<float> logProbs, int vocabularySize)
    {
        var frames = CtcLogProbs.FrameCount(logProbs, vocabularySize, nameof(logProbs));
        var root = new CtcBeamEntry(CtcPrefix.CreateRoot()) { Blank = 0 };
        root.OfferBlankPath(0, () => null);
        var beam = new List<CtcBeamEntry> { root };
        for (var t = 0; t < frames; t++)
        {
            beam = Step(beam, logProbs.Slice(t * vocabularySize, vocabularySize), t);
        }

        var best = beam[0];
        return new CtcHypothesis(best.BestTokens(frames), best.Total, frames);
    }

    private List<CtcBeamEntry> Step(List<CtcBeamEntry> beam, ReadOnlySpan<float> row, int t)
    {
        var next = new Dictionary<CtcPrefix, CtcBeamEntry>(beam.Count * 4);
        var floor = MaxNonBlank(row) - tokenPruneLogProb;
        double blank = row[0];
        foreach (var entry in beam)
        {
            var last = entry.Prefix.Token;
            var total = entry.Total;

            // The prefix stays the same: a blank, or its last token repeated.
            var same = Get(next, entry.Prefix);
            same.Blank = CtcLogProbs.LogAdd(same.Blank, total + blank);
            same.OfferBlankPath(entry.BestBlank + blank, () => entry.BlankPath);
            if (entry.BestNonBlank > double.NegativeInfinity)
            {
                same.OfferBlankPath(entry.BestNonBlank + blank, () => entry.ClosedNonBlankPath(t));
            }

            if (last > 0)
            {
                same.NonBlank = CtcLogProbs.LogAdd(same.NonBlank, entry.NonBlank + row[last]);
                same.OfferNonBlankPath(entry.BestNonBlank + row[last], entry.NonBlankHistory, entry.NonBlankStart);
            }

            // The prefix grows by one token. The same token again needs a blank in between.
            for (var c = 1; c < row.Length; c++)
            {
                double p = row[c];
                if (p < floor)
                {
                    continue;
                }

                var extended = Get(next, entry.Prefix.Child(c));
                if (c == last)
                {
                    extended.NonBlank = CtcLogProbs.LogAdd(extended.NonBlank, entry.Blank + p);
                    extended.OfferNonBlankPath(entry.BestBlank + p, entry.BlankPath, t);
                }
                else
                {
                    extended.NonBlank = CtcLogProbs.LogAdd(extended.NonBlank, total + p);
                    if (entry.BestBlank >= entry.BestNonBlank)
                    {
                        extended.OfferNonBlankPath(entry.BestBlank + p, entry.BlankPath, t);
                    }
                    else
                    {
                        extended.OfferNonBlankPath(entry.BestNonBlank + p, entry.ClosedNonBlankPath(t), t);
                    }
                }
            }
        }

        var ranked = next.Values.ToList();
        ranked.Sort((a, b) => b.Total.CompareTo(a.Total));
        if (ranked.Count > BeamWidth)
        {
            ranked.RemoveRange(BeamWidth, ranked.Count - BeamWidth);
        }

        foreach (var entry in ranked)
        {
            entry.Prefix.Register();
        }

        return ranked;
    }

    private static CtcBeamEntry Get(Dictionary<CtcPrefix, CtcBeamEntry> entries, CtcPrefix prefix)
    {
        if (!entries.TryGetValue(prefix, out var entry))
        {
            entry = new CtcBeamEntry(prefix);
            entries.Add(prefix, entry);
        }

        return entry;
    }

    private static double MaxNonBlank(ReadOnlySpan<float> row)
    {
        var max = double.NegativeInfinity;
        for (var c = 1; c < row.Length; c++)
        {
            max = Math.Max(max, row[c]);
        }

        return max;
    }
}
