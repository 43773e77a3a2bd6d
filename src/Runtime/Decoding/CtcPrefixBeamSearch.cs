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
        root.OfferBlankPath(0, null);
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
        var next = new CtcBeamCandidates(beam.Count * 4);
        var floor = CtcLogProbs.MaxNonBlank(row) - tokenPruneLogProb;
        foreach (var entry in beam)
        {
            next.Get(entry.Prefix).AddStay(entry, row, t);
            for (var c = 1; c < row.Length; c++)
            {
                if (row[c] >= floor)
                {
                    next.Get(entry.Prefix.Child(c)).AddExtension(entry, row[c], t);
                }
            }
        }

        var ranked = next.Entries;
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
}
