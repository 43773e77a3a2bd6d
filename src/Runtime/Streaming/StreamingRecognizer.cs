using SpeechServe.Runtime.Decoding;
using SpeechServe.Runtime.Encoder;

namespace SpeechServe.Runtime.Streaming;

/// <summary>
/// Opens <see cref="StreamingSession"/>s on a loaded encoder. With a <see cref="StreamingChunkBatcher"/>, the chunks of
/// concurrent streams (<see cref="StreamingSession.AcceptAsync"/>) run in shared encoder calls; without one, or through
/// <see cref="StreamingSession.Accept"/>, each stream runs its own calls (batch size 1) on the shared session, which is
/// safe to run concurrently.
/// </summary>
public sealed class StreamingRecognizer
{
    private readonly EncoderSession _encoder;
    private readonly TokenVocabulary _vocabulary;
    private readonly LexiconBeamSearch? _lexiconSearch;
    private readonly StreamingChunkBatcher? _batcher;

    /// <param name="encoder">The loaded encoder; owned by the caller.</param>
    /// <param name="vocabulary">The CTC vocabulary.</param>
    /// <param name="options">Endpointing.</param>
    /// <param name="lexiconSearch">The search over the model's language model, for finals; null keeps finals greedy.</param>
    /// <param name="batcher">Batches the chunks of concurrent streams on <paramref name="encoder"/>; owned by the caller; null runs each stream alone.</param>
    public StreamingRecognizer(
        EncoderSession encoder, TokenVocabulary vocabulary, StreamingRecognitionOptions? options = null, LexiconBeamSearch? lexiconSearch = null, StreamingChunkBatcher? batcher = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(vocabulary);
        _encoder = encoder;
        _vocabulary = vocabulary;
        _lexiconSearch = lexiconSearch;
        _batcher = batcher;
        Options = options ?? new StreamingRecognitionOptions();
    }

    /// <summary>The endpointing every stream uses.</summary>
    public StreamingRecognitionOptions Options { get; }

    /// <summary>Opens a stream of mono audio at <paramref name="sampleRate"/> Hz that applies <paramref name="adapter"/>.</summary>
    /// <param name="adapter">The adapter weights.</param>
    /// <param name="sampleRate">The client's sample rate in Hz.</param>
    /// <param name="runPolicy">What every encoder run of the stream goes through; null runs them directly.</param>
    /// <param name="hotwords">Words the finals' lexicon search favours, if any.</param>
    public StreamingSession Open(AdapterWeights adapter, int sampleRate, IEncoderRunPolicy? runPolicy = null, HotwordBoosts? hotwords = null)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        return new StreamingSession(_encoder, _vocabulary, adapter, sampleRate, Options, _lexiconSearch, runPolicy, hotwords, _batcher);
    }
}
