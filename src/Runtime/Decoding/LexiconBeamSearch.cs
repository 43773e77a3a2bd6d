namespace SpeechServe.Runtime.Decoding;

/// <summary>
/// Lexicon-constrained CTC prefix beam search scored by a word n-gram model, exactly as docs/decoding.md
/// defines it (the training recipes' evaluation implements the same algorithm): a prefix may only spell
/// lexicon words separated by single word boundaries (or, on the unknown-word path, any spelling, a word outside
/// the lexicon scored as <c>&lt;unk&gt;</c>), entries are ranked by acoustic log-probability plus <c>lm</c>, and at
/// the end the prefixes that end on a whole word are finished with <c>&lt;/s&gt;</c>.
/// Timestamps come from the best single alignment of the chosen prefix. Thread-safe: every call has its own beam.
/// </summary>
/// <param name="languageModel">The lexicon and word n-gram model.</param>
/// <param name="beamWidth">Prefixes kept after each frame (at least 1).</param>
/// <param name="tokenPruneLogProb">
/// Per frame, tokens whose log-prob is more than this below the frame's best non-blank token are not tried.
/// </param>
public sealed class LexiconBeamSearch(LexiconLanguageModel languageModel, int beamWidth, double tokenPruneLogProb = 20)
{
    /// <summary>The lexicon and word n-gram model.</summary>
    public LexiconLanguageModel LanguageModel { get; } = languageModel ?? throw new ArgumentNullException(nameof(languageModel));

    /// <summary>Prefixes kept after each frame.</summary>
    public int BeamWidth { get; } = beamWidth >= 1 ? beamWidth : throw new ArgumentOutOfRangeException(nameof(beamWidth), beamWidth, "The beam width must be at least 1.");

    /// <summary>Decodes row-major log-probs <c>[frames, vocabularySize]</c> (blank = id 0), favouring <paramref name="hotwords"/> when given.</summary>
    /// <exception cref="ArgumentException">The length is not a multiple of <paramref name="vocabularySize"/>, or the width is not the vocabulary's.</exception>
    public CtcHypothesis Decode(ReadOnlySpan<float> logProbs, int vocabularySize, HotwordBoosts? hotwords = null)
    {
        var frames = CtcLogProbs.FrameCount(logProbs, vocabularySize, nameof(logProbs));
        if (vocabularySize != LanguageModel.VocabularySize)
        {
            throw new ArgumentException($"The log-probs have {vocabularySize} columns but the lexicon's vocabulary has {LanguageModel.VocabularySize} tokens.", nameof(vocabularySize));
        }

        var root = new CtcBeamEntry(CtcPrefix.CreateRoot(LanguageModel.Start)) { Blank = 0 };
        root.OfferBlankPath(0, null);
        var beam = new List<CtcBeamEntry> { root };
        for (var t = 0; t < frames; t++)
        {
            beam = Step(beam, logProbs.Slice(t * vocabularySize, vocabularySize), t, hotwords);
        }

        var best = Finished(beam, hotwords) ?? beam[0];
        return new CtcHypothesis(best.BestTokens(frames), best.Total, frames);
    }

    private List<CtcBeamEntry> Step(List<CtcBeamEntry> beam, ReadOnlySpan<float> row, int t, HotwordBoosts? hotwords)
    {
        var next = new CtcBeamCandidates(beam.Count * 4);
        var step = new StepBounds(CtcLogProbs.MaxNonBlank(row) - tokenPruneLogProb, hotwords is null ? KeptScoreBound(beam, row, t) : double.NegativeInfinity);
        var boundary = LanguageModel.BoundaryId;
        foreach (var entry in beam)
        {
            next.Get(entry.Prefix).AddStay(entry, row, t);
            if (LanguageModel.UnknownWords is not null)
            {
                ExtendAnySpelling(next, entry, row, step, t, hotwords);
                continue;
            }

            // Allowed tokens in ascending id: the boundary after a whole word, and the characters that continue
            // the partial word towards some lexicon word.
            var partial = entry.Prefix.Word!.Partial;
            var boundaryPending = partial.IsWord;
            var characters = partial.NextTokens;
            for (var i = 0; i < characters.Length; i++)
            {
                if (boundaryPending && boundary < characters[i])
                {
                    Extend(next, entry, boundary, row, step, t, hotwords);
                    boundaryPending = false;
                }

                Extend(next, entry, characters[i], row, step, t, hotwords, i);
            }

            if (boundaryPending)
            {
                Extend(next, entry, boundary, row, step, t, hotwords);
            }
        }

        // A stable sort: entries that tie keep the order in which their prefixes were first reached.
        var ranked = next.Entries
            .OrderByDescending(e => e.Total + e.Prefix.Word!.LanguageModelScore + (hotwords?.Partial(e.Prefix.Word.Partial) ?? 0))
            .Take(BeamWidth)
            .ToList();
        foreach (var entry in ranked)
        {
            entry.Prefix.Register();
        }

        return ranked;
    }

    // The unknown-word path: every character in ascending id, and the boundary after any non-empty partial word.
    private void ExtendAnySpelling(CtcBeamCandidates next, CtcBeamEntry entry, ReadOnlySpan<float> row, StepBounds step, int t, HotwordBoosts? hotwords)
    {
        var boundary = LanguageModel.BoundaryId;
        var canFinish = LanguageModel.CanFinishWord(entry.Prefix.Word!);
        for (var token = 1; token < row.Length; token++)
        {
            if (token != boundary || canFinish)
            {
                Extend(next, entry, token, row, step, t, hotwords);
            }
        }
    }

    // characterIndex: the index of the character among the partial word's next tokens, or -1 (the boundary, or a
    // character on the unknown-word path).
    private void Extend(CtcBeamCandidates next, CtcBeamEntry entry, int token, ReadOnlySpan<float> row, StepBounds step, int t, HotwordBoosts? hotwords, int characterIndex = -1)
    {
        if (row[token] < step.TokenFloor)
        {
            return;
        }

        var prefix = entry.Prefix;
        var child = prefix.RegisteredChild(token);
        if (token != LanguageModel.BoundaryId && child?.BeamFrame != t && CharacterScore(entry, token, row[token], characterIndex) < step.KeptScoreBound)
        {
            return;
        }

        child ??= new CtcPrefix(prefix, token, NextState(prefix.Word!, token, characterIndex, hotwords));
        next.Get(child).AddExtension(entry, row[token], t);
    }

    /// <summary>
    /// The ranking score (<c>total + lm</c>) a character extension's prefix will have at this frame when it is not
    /// in the beam: its only paths come from <paramref name="entry"/>, so it is known before the prefix is built,
    /// as <see cref="CtcBeamEntry.AddExtension"/> and <see cref="Step"/> would compute it.
    /// </summary>
    private double CharacterScore(CtcBeamEntry entry, int token, double logProb, int characterIndex)
    {
        var word = entry.Prefix.Word!;
        var lm = characterIndex >= 0 ? word.LanguageModelScore : LanguageModel.ScoreAfterCharacter(word, token);
        var nonBlank = CtcLogProbs.LogAdd(double.NegativeInfinity, (token == entry.Prefix.Token ? entry.Blank : entry.Total) + logProb);
        return CtcLogProbs.LogAdd(double.NegativeInfinity, nonBlank) + lm;
    }

    /// <summary>
    /// A score below which no new prefix can be kept at frame <paramref name="t"/>: with a full beam, the lowest
    /// score the beam's own prefixes reach by staying (a blank, or their last token repeated). Each of them ends the
    /// frame with at least that score, so the beam's last kept score is not lower; a prefix that scores below it
    /// is never kept and touches no other, so leaving it out changes nothing. The margin covers rounding.
    /// Marks the beam's prefixes with the frame.
    /// </summary>
    private double KeptScoreBound(List<CtcBeamEntry> beam, ReadOnlySpan<float> row, int t)
    {
        const double RoundingMargin = 1e-9;
        var bound = double.PositiveInfinity;
        foreach (var entry in beam)
        {
            entry.Prefix.BeamFrame = t;
            var stay = new CtcBeamEntry(entry.Prefix);
            stay.AddStay(entry, row, t);
            bound = Math.Min(bound, stay.Total + entry.Prefix.Word!.LanguageModelScore);
        }

        return beam.Count < BeamWidth ? double.NegativeInfinity : bound - RoundingMargin;
    }

    /// <param name="TokenFloor">Tokens below this log-probability are not tried.</param>
    /// <param name="KeptScoreBound">New prefixes scoring below this cannot be kept (<see cref="KeptScoreBound"/>).</param>
    private readonly record struct StepBounds(double TokenFloor, double KeptScoreBound);

    private WordState NextState(WordState state, int token, int characterIndex, HotwordBoosts? hotwords) =>
        token == LanguageModel.BoundaryId ? Boosted(LanguageModel.FinishWord(state), state.Partial, hotwords)
        : characterIndex >= 0 ? state with { Partial = state.Partial.Next(characterIndex) }
        : LanguageModel.AddCharacter(state, token);

    // The state after a word boundary, plus the hotword boost of the word it finished.
    private static WordState Boosted(WordState finished, LexiconNode word, HotwordBoosts? hotwords) =>
        hotwords is not null && word.IsWord ? finished with { LanguageModelScore = finished.LanguageModelScore + hotwords.Word(word.WordId) } : finished;

    /// <summary>
    /// The entry with the best <c>total + lm</c> once finished (the first in beam order on a tie), or null when
    /// none can be finished with a score above minus infinity.
    /// </summary>
    private CtcBeamEntry? Finished(List<CtcBeamEntry> beam, HotwordBoosts? hotwords)
    {
        CtcBeamEntry? best = null;
        var bestScore = double.NegativeInfinity;
        foreach (var entry in beam)
        {
            var partial = entry.Prefix.Word!.Partial;
            var boost = hotwords is not null && partial.IsWord ? hotwords.Word(partial.WordId) : 0;
            if (LanguageModel.FinishSentence(entry.Prefix.Word) is { } lm && entry.Total + lm + boost > bestScore)
            {
                best = entry;
                bestScore = entry.Total + lm + boost;
            }
        }

        return best;
    }
}
