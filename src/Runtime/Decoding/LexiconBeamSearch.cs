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
        root.OfferBlankPath(0, () => null);
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
        var floor = CtcLogProbs.MaxNonBlank(row) - tokenPruneLogProb;
        var boundary = LanguageModel.BoundaryId;
        foreach (var entry in beam)
        {
            next.Get(entry.Prefix).AddStay(entry, row, t);
            if (LanguageModel.UnknownWords is not null)
            {
                ExtendAnySpelling(next, entry, row, floor, t, hotwords);
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
                    Extend(next, entry, boundary, row, floor, t, hotwords);
                    boundaryPending = false;
                }

                Extend(next, entry, characters[i], row, floor, t, hotwords, i);
            }

            if (boundaryPending)
            {
                Extend(next, entry, boundary, row, floor, t, hotwords);
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
    private void ExtendAnySpelling(CtcBeamCandidates next, CtcBeamEntry entry, ReadOnlySpan<float> row, double floor, int t, HotwordBoosts? hotwords)
    {
        var boundary = LanguageModel.BoundaryId;
        var canFinish = LanguageModel.CanFinishWord(entry.Prefix.Word!);
        for (var token = 1; token < row.Length; token++)
        {
            if (token != boundary || canFinish)
            {
                Extend(next, entry, token, row, floor, t, hotwords);
            }
        }
    }

    // characterIndex: the index of the character among the partial word's next tokens, or -1 (the boundary, or a
    // character on the unknown-word path).
    private void Extend(CtcBeamCandidates next, CtcBeamEntry entry, int token, ReadOnlySpan<float> row, double floor, int t, HotwordBoosts? hotwords, int characterIndex = -1)
    {
        if (row[token] < floor)
        {
            return;
        }

        var prefix = entry.Prefix;
        var child = prefix.RegisteredChild(token) ?? new CtcPrefix(prefix, token, NextState(prefix.Word!, token, characterIndex, hotwords));
        next.Get(child).AddExtension(entry, row[token], t);
    }

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
