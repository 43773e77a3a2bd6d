namespace SpeechServe.Runtime.Translation;

/// <summary>Input and output names of <c>decoder_cross.onnx</c> and <c>decoder.onnx</c> (docs/model.md, "Two graphs").</summary>
public static class DecoderGraphNames
{
    /// <summary><c>[batch, frames, D]</c> float32: the encoder output after the translation adapter.</summary>
    public const string EncoderOut = "encoder_out";

    /// <summary><c>[Ld, batch, H, frames, dh]</c> float32 cross-attention keys.</summary>
    public const string CrossKey = "cross_key";

    /// <summary><c>[Ld, batch, H, frames, dh]</c> float32 cross-attention values.</summary>
    public const string CrossValue = "cross_value";

    /// <summary><c>[batch, S]</c> int64 new tokens, at positions <c>P .. P+S-1</c>.</summary>
    public const string Tokens = "tokens";

    /// <summary><c>[Ld, batch, H, P, dh]</c> float32 self-attention keys of the earlier steps.</summary>
    public const string PastKey = "past_key";

    /// <summary><c>[Ld, batch, H, P, dh]</c> float32 self-attention values of the earlier steps.</summary>
    public const string PastValue = "past_value";

    /// <summary><c>[batch]</c> int64 valid encoder frames.</summary>
    public const string EncoderLengths = "encoder_lengths";

    /// <summary><c>[batch, S, Vt]</c> float32 unnormalised scores.</summary>
    public const string Logits = "logits";

    /// <summary><c>[Ld, batch, H, P+S, dh]</c>: <c>concat(past_key, new keys)</c>.</summary>
    public const string PresentKey = "present_key";

    /// <summary><c>[Ld, batch, H, P+S, dh]</c>: <c>concat(past_value, new values)</c>.</summary>
    public const string PresentValue = "present_value";

    /// <summary>Symbolic batch dimension.</summary>
    public const string Batch = "batch";

    /// <summary>Symbolic encoder-frame dimension.</summary>
    public const string Frames = "frames";

    /// <summary>Symbolic cached positions P.</summary>
    public const string Past = "past";

    /// <summary>Symbolic new tokens S.</summary>
    public const string NewTokens = "new_tokens";

    /// <summary>Symbolic grown cache length, <c>P + S</c>.</summary>
    public const string Present = "present";

    /// <summary>Inputs of <c>decoder_cross.onnx</c>.</summary>
    internal static readonly string[] CrossInputs = [EncoderOut];

    /// <summary>Outputs of <c>decoder_cross.onnx</c>.</summary>
    internal static readonly string[] CrossOutputs = [CrossKey, CrossValue];

    /// <summary>Inputs of <c>decoder.onnx</c>, in graph order.</summary>
    internal static readonly string[] StepInputs = [Tokens, PastKey, PastValue, CrossKey, CrossValue, EncoderLengths];

    /// <summary>Outputs of <c>decoder.onnx</c>, in graph order.</summary>
    internal static readonly string[] StepOutputs = [Logits, PresentKey, PresentValue];
}
