namespace SpeechServe.Runtime.Decoding;

/// <summary>A decoded token and the encoder frames it occupies in the alignment.</summary>
/// <param name="Id">Token id in the <see cref="TokenVocabulary"/>.</param>
/// <param name="StartFrame">First frame on which the token is emitted.</param>
/// <param name="EndFrame">One past the last frame of the token's run (exclusive).</param>
public readonly record struct AlignedToken(int Id, int StartFrame, int EndFrame);
