namespace SpeechServe.Runtime.Translation;

/// <summary>
/// The attention decoder of a translation adapter, as its package holds it (docs/model.md, "Translation
/// decoder"): the two ONNX graphs and the output vocabulary. Plain data; the runtime builds its sessions.
/// </summary>
/// <param name="CrossGraph"><c>decoder_cross.onnx</c>: encoder output to the cross-attention keys and values, once per utterance.</param>
/// <param name="StepGraph"><c>decoder.onnx</c>: new tokens and the self-attention cache to logits and the grown cache.</param>
/// <param name="Vocabulary">The output vocabulary; its size is the step graph's logit width.</param>
/// <param name="MaxPositions">The longest token sequence (<c>&lt;s&gt;</c> included) the decoder accepts.</param>
/// <param name="TargetLanguage">The language of the output text, e.g. <c>en</c>.</param>
public sealed record TranslationHead(
    ReadOnlyMemory<byte> CrossGraph, ReadOnlyMemory<byte> StepGraph, TranslationVocabulary Vocabulary, int MaxPositions, string TargetLanguage)
{
    /// <summary>Bytes held, for the adapter memory budget.</summary>
    public long ByteSize => CrossGraph.Length + StepGraph.Length + Vocabulary.Tokens.Sum(t => 2L * t.Length);
}
