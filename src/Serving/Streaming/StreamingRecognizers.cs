using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using SpeechServe.Runtime.Streaming;
using SpeechServe.Serving.Models;

namespace SpeechServe.Serving.Streaming;

/// <summary>One <see cref="StreamingRecognizer"/> per loaded model, on the same encoder session that REST uses.</summary>
public sealed class StreamingRecognizers(IOptions<StreamingServerOptions> options)
{
    private readonly ConditionalWeakTable<ServedModel, StreamingRecognizer> _recognizers = [];

    /// <summary>The recognizer of <paramref name="served"/>.</summary>
    public StreamingRecognizer For(ServedModel served)
    {
        ArgumentNullException.ThrowIfNull(served);
        return _recognizers.GetValue(served, s => new StreamingRecognizer(s.Model.Encoder, s.Model.Vocabulary, RecognitionOptions(options.Value), s.Model.LexiconSearch));
    }

    private static StreamingRecognitionOptions RecognitionOptions(StreamingServerOptions settings) => new()
    {
        EndpointingEnabled = settings.EndpointingEnabled,
        PauseAfterSpeech = new EndpointRule(true, settings.PauseAfterSpeechSeconds, 0),
        LongSilence = new EndpointRule(false, settings.LongSilenceSeconds, 0),
        MaxSegmentLength = new EndpointRule(false, 0, settings.MaxSegmentSeconds),
    };
}
