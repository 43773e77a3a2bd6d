namespace SpeechServe.Runtime.Decoding;

/// <summary>The result of CTC decoding: a label sequence with its alignment.</summary>
/// <param name="Tokens">Tokens in order, blanks removed, with their frames.</param>
/// <param name="LogProbability">
/// Greedy: log probability of the best path. Beam search: log probability of the labelling (summed over its
/// alignments that survived the beam).
/// </param>
/// <param name="FrameCount">Frames decoded.</param>
public sealed record CtcHypothesis(IReadOnlyList<AlignedToken> Tokens, double LogProbability, int FrameCount)
{
    /// <summary>The token ids in order.</summary>
    public IEnumerable<int> TokenIds => Tokens.Select(t => t.Id);
}
