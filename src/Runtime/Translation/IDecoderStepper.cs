namespace SpeechServe.Runtime.Translation;

/// <summary>
/// One autoregressive step of a decoder over a fixed set of rows, all at the same position (lockstep).
/// Each row carries a history (a key/value cache or a token prefix) that a step extends by one token.
/// </summary>
internal interface IDecoderStepper
{
    /// <summary>
    /// Row <c>r</c> first takes over the history of row <c>sourceRows[r]</c> (beam reordering; the identity
    /// otherwise), then is extended by <c>tokens[r]</c>.
    /// </summary>
    /// <returns>The next token's logits, <c>[rows, V]</c>; valid until the next call.</returns>
    ReadOnlySpan<float> Step(ReadOnlySpan<long> tokens, ReadOnlySpan<int> sourceRows);
}
