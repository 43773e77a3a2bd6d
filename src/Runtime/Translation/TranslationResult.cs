namespace SpeechServe.Runtime.Translation;

/// <summary>A translation: its text and the decoder's token ids (up to, without, <c>&lt;/s&gt;</c>).</summary>
/// <param name="Text">The words joined by single spaces (docs/model.md, "Vocabulary and checkpoint").</param>
/// <param name="TokenIds">The generated ids, <c>&lt;s&gt;</c> and <c>&lt;/s&gt;</c> excluded.</param>
public sealed record TranslationResult(string Text, IReadOnlyList<int> TokenIds);
