namespace SpeechServe.Runtime.Decoding;

/// <summary>
/// The word state of a label prefix in a <see cref="LexiconBeamSearch"/>, a function of the prefix alone.
/// </summary>
/// <param name="Partial">The characters after the last word boundary, as a lexicon trie node.</param>
/// <param name="Context">The last N-1 finished words (language-model word ids, oldest first), <c>&lt;s&gt;</c> included at the start.</param>
/// <param name="LanguageModelScore">
/// <c>lm</c>: the weighted language-model log-probability of the finished words plus their word bonuses.
/// </param>
public sealed record WordState(LexiconNode Partial, int[] Context, double LanguageModelScore);
