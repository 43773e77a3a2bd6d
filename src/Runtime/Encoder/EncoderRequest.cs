namespace SpeechServe.Runtime.Encoder;

/// <summary>One utterance for the encoder.</summary>
/// <param name="Features">Log-mel features, <c>[Frames, n_mels]</c> row-major; values past them (a pooled buffer's) are not read.</param>
/// <param name="Frames">Feature frames.</param>
/// <param name="Adapter">The domain adapter and head to apply.</param>
public sealed record EncoderRequest(float[] Features, int Frames, AdapterWeights Adapter);
