using SpeechServe.Runtime.Batching;
using SpeechServe.Runtime.Encoder;
using SpeechServe.Runtime.Features;
using SpeechServe.Runtime.Models;
using Microsoft.ML.OnnxRuntime;
using SpeechServe.Runtime.Onnx;

namespace SpeechServe.Runtime.Translation;

/// <summary>
/// Translates 16 kHz speech with a translation adapter: log-mel features on the caller's thread; then, in dynamic
/// batches, one encoder pass for the whole batch (each element with its own adapter) and, per translation head, one
/// lockstep decoding of that head's requests, each with its own search (docs/decoding.md, "Translation decoding").
/// </summary>
public sealed class SpeechTranslator : IAsyncDisposable
{
    // Each result is a completed task of its own, so that a failing decoder fails its own requests, not the whole batch.
    private readonly DynamicBatcher<TranslationRequest, Task<TranslationResult>> _batcher;
    private readonly OfflineEncoder _encoder;
    private readonly TranslationDecoderCache _decoders;
    private readonly int _modelDimension;

    /// <param name="encoder">The loaded encoder; owned by the caller. Its graph must output <c>encoder_out</c>.</param>
    /// <param name="sessions">Creates the decoder sessions, once per translation head, on the encoder's execution provider.</param>
    /// <param name="options">Batching and encoding settings.</param>
    /// <exception cref="InvalidDataException">The encoder graph has no <c>encoder_out</c> output.</exception>
    public SpeechTranslator(EncoderSession encoder, OnnxSessionFactory sessions, TranslationOptions options)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(options);
        if (!encoder.HasEncoderOutput)
        {
            throw new InvalidDataException("The encoder graph has no encoder_out output, which translation decoders read; export it with this version of the exporter.");
        }

        _encoder = new OfflineEncoder(encoder, options.WindowChunks);
        _modelDimension = encoder.Architecture.DModel;
        _decoders = new TranslationDecoderCache(sessions, encoder.ExecutionProvider);
        _batcher = new DynamicBatcher<TranslationRequest, Task<TranslationResult>>((batch, _) => Translate(batch), options.Batching);
    }

    /// <summary>Requests waiting for a batch.</summary>
    public int QueueDepth => _batcher.QueueDepth;

    /// <summary>Raised after each batch with its size.</summary>
    public event Action<int>? BatchCompleted
    {
        add => _batcher.BatchCompleted += value;
        remove => _batcher.BatchCompleted -= value;
    }

    /// <summary>Translates <paramref name="samples"/> (mono, 16 kHz) with the translation adapter <paramref name="adapter"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="adapter"/> has no translation decoder, or <paramref name="decoding"/> is invalid.</exception>
    /// <remarks>
    /// The task fails with <see cref="OnnxRuntimeException"/> when the encoder (the whole batch) or this adapter's
    /// decoder (only its requests) fails in ONNX Runtime, and with <see cref="InvalidDataException"/> when the
    /// decoder does not fit this model (<see cref="Prepare"/> finds that out beforehand).
    /// </remarks>
    public Task<TranslationResult> TranslateAsync(
        float[] samples, AdapterWeights adapter, TranslationDecodingOptions decoding, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(adapter);
        ArgumentNullException.ThrowIfNull(decoding);
        var head = adapter.Translation
            ?? throw new ArgumentException("The adapter has no translation decoder; translate with a translation adapter.", nameof(adapter));
        decoding.Validate();

        var frames = LogMelSpec.FrameCount(samples.Length);
        if (frames < EncoderArchitecture.Subsampling)
        {
            // Too short for one encoder frame: there is nothing to translate.
            return Task.FromResult(new TranslationResult(string.Empty, []));
        }

        using var announcement = _batcher.Announce();
        var features = LogMelFrontend.Compute(samples);
        var request = new TranslationRequest(new EncoderRequest(features, frames, adapter), TokenSearch.Create(decoding, head.MaxPositions));
        return announcement.EnqueueAsync(request, cancellationToken).Unwrap();
    }

    /// <inheritdoc />
    /// <summary>
    /// Loads <paramref name="head"/>'s decoder graphs now (they are kept for its requests) and checks that they fit
    /// this model: an adapter whose decoder cannot run is refused when it is uploaded or loaded, not when a request
    /// reaches it.
    /// </summary>
    /// <exception cref="InvalidDataException">A graph lacks an input or output, or does not fit the vocabulary or the encoder.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime cannot load a graph.</exception>
    public void Prepare(TranslationHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        Decoder(head);
    }

    public async ValueTask DisposeAsync()
    {
        await _batcher.DisposeAsync().ConfigureAwait(false);
        _decoders.Dispose();
    }

    private Task<TranslationResult>[] Translate(IReadOnlyList<TranslationRequest> batch)
    {
        var encoderOutputs = _encoder.EncodeOutputs([.. batch.Select(r => r.Encoder)]);
        var results = new Task<TranslationResult>[batch.Count];
        var groups = Enumerable.Range(0, batch.Count).GroupBy(i => batch[i].Head, ReferenceEqualityComparer.Instance);
        foreach (var group in groups)
        {
            var members = group.ToArray();
            try
            {
                var decoder = Decoder((TranslationHead)group.Key!);
                var decoded = decoder.Decode([.. members.Select(i => encoderOutputs[i])], [.. members.Select(i => batch[i].Search)], useCache: true);
                for (var k = 0; k < members.Length; k++)
                {
                    results[members[k]] = Task.FromResult(decoded[k]);
                }
            }
            catch (Exception ex) when (ex is OnnxRuntimeException or InvalidDataException)
            {
                foreach (var i in members)
                {
                    results[i] = Task.FromException<TranslationResult>(ex);
                }
            }
        }

        return results;
    }

    private TranslationDecoder Decoder(TranslationHead head)
    {
        var decoder = _decoders.Get(head);
        return decoder.ModelDimension == _modelDimension
            ? decoder
            : throw new InvalidDataException($"The translation decoder reads D = {decoder.ModelDimension} but the encoder outputs D = {_modelDimension}.");
    }
}
