using SpeechServe.Runtime.Encoder;

namespace SpeechServe.Runtime.Translation;

/// <summary>One utterance to translate: what the encoder needs and the search that decodes it.</summary>
internal sealed record TranslationRequest(EncoderRequest Encoder, TokenSearch Search)
{
    public TranslationHead Head => Encoder.Adapter.Translation!;
}
