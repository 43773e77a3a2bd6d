namespace SpeechServe.Runtime.Translation;

/// <summary>Input and output names of the translation decoder's two graphs (docs/model.md, "Two graphs").</summary>
internal static class DecoderGraphNames
{
    public const string EncoderOut = "encoder_out";
    public const string CrossKey = "cross_key";
    public const string CrossValue = "cross_value";
    public const string Tokens = "tokens";
    public const string PastKey = "past_key";
    public const string PastValue = "past_value";
    public const string EncoderLengths = "encoder_lengths";
    public const string Logits = "logits";
    public const string PresentKey = "present_key";
    public const string PresentValue = "present_value";

    public static readonly string[] CrossInputs = [EncoderOut];
    public static readonly string[] CrossOutputs = [CrossKey, CrossValue];
    public static readonly string[] StepInputs = [Tokens, PastKey, PastValue, CrossKey, CrossValue, EncoderLengths];
    public static readonly string[] StepOutputs = [Logits, PresentKey, PresentValue];
}
