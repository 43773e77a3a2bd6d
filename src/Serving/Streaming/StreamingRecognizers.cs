using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using SpeechServe.Runtime.Streaming;
using SpeechServe.Serving.Models;

namespace SpeechServe.Serving.Streaming;

/// <summary>
/// The <see cref="StreamingRecognizer"/>s of each loaded model, on the same encoder session that REST uses: one
/// with the configured endpointing, and one without, for clients that cut turns themselves (Realtime commits).
/// </summary>
public sealed class StreamingRecognizers(IOptions<StreamingServerOptions> options)
{
    private readonly ConditionalWeakTable<ServedModel, StreamingRecognizer> _recognizers = [];
    private readonly ConditionalWeakTable<ServedModel, StreamingRecognizer> _unsegmented = [];

    /// <summary>The recognizer of <paramref name="served"/>; with <paramref name="endpointing"/> false, one that never ends a segment by itself.</summary>
    public StreamingRecognizer For(ServedModel served, bool endpointing = true)
    {
        ArgumentNullException.ThrowIfNull(served);
        var settings = RecognitionOptions(options.Value);
        return endpointing
            ? _recognizers.GetValue(served, s => Create(s, settings))
            : _unsegmented.GetValue(served, s => Create(s, settings with { EndpointingEnabled = false }));
    }

    private static StreamingRecognizer Create(ServedModel served, StreamingRecognitionOptions settings) =>
        new(served.Model.Encoder, served.Model.Vocabulary, settings, served.Model.LexiconSearch);

    private static StreamingRecognitionOptions RecognitionOptions(StreamingServerOptions settings) => new()
    {
        EndpointingEnabled = settings.EndpointingEnabled,
        PauseAfterSpeech = new EndpointRule(true, settings.PauseAfterSpeechSeconds, 0),
        LongSilence = new EndpointRule(false, settings.LongSilenceSeconds, 0),
        MaxSegmentLength = new EndpointRule(false, 0, settings.MaxSegmentSeconds),
    };
}
