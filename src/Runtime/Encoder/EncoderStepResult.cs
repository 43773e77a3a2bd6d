namespace SpeechServe.Runtime.Encoder;

/// <summary>What one encoder call returns for a batch.</summary>
/// <param name="LogProbabilities">CTC log-probabilities, <c>[B, frames / 4, V]</c>.</param>
/// <param name="OutputFrames">Encoder frames per batch row (the padded length).</param>
/// <param name="OutputLengths">Valid encoder frames per element, <c>[B]</c>.</param>
/// <param name="State">The caches after the call, for the next call of the same streams; null when the call did not fetch them.</param>
public sealed record EncoderStepResult(float[] LogProbabilities, int OutputFrames, long[] OutputLengths, EncoderState? State)
{
    /// <summary>The encoder output after the adapters, <c>[B, frames / 4, d]</c>, when the call asked for it; else null.</summary>
    public float[]? EncoderOutput { get; init; }
}
