using System.Runtime.CompilerServices;
using SpeechServe.Runtime.Onnx;

namespace SpeechServe.Runtime.Translation;

/// <summary>
/// The loaded decoder of each <see cref="TranslationHead"/>, created on first use. Keyed weakly by the head
/// (immutable, held by its resident adapter), so a removed adapter's decoder goes with it.
/// </summary>
internal sealed class TranslationDecoderCache(OnnxSessionFactory sessions, OnnxExecutionProvider executionProvider) : IDisposable
{
    private readonly ConditionalWeakTable<TranslationHead, TranslationDecoder> _decoders = [];

    /// <summary>The decoder of <paramref name="head"/>, loading it the first time.</summary>
    /// <exception cref="InvalidDataException">The head's graphs do not fit docs/model.md or its vocabulary.</exception>
    public TranslationDecoder Get(TranslationHead head) => _decoders.GetValue(head, h => new TranslationDecoder(sessions, h, executionProvider));

    /// <summary>Disposes every decoder loaded so far.</summary>
    public void Dispose()
    {
        foreach (var (_, decoder) in _decoders)
        {
            decoder.Dispose();
        }

        _decoders.Clear();
    }
}
