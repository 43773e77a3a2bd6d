using System.Diagnostics;

namespace SpeechServe.Runtime.Recognition;

/// <summary>
/// Where the recognition of one request spent its time, added up over every <see cref="SpeechRecognizer.TranscribeAsync"/>
/// call it is passed to: the log-mel features, the wait in the encoder queue until its batch started, that batch's encoder
/// run (the whole run, shared with the other utterances of the batch) and the CTC search with the transcript building.
/// One call at a time: the batch worker fills it only while the caller awaits the call.
/// </summary>
public sealed class RecognitionTimings
{
    // Stopwatch ticks.
    private long _features;
    private long _queue;
    private long _encoder;
    private long _decoding;

    /// <summary>Recognizer calls that ran to the end, decoding included.</summary>
    public int Recognitions { get; private set; }

    /// <summary>Computing the log-mel features.</summary>
    public TimeSpan Features => Stopwatch.GetElapsedTime(0, _features);

    /// <summary>From queuing the features to the start of the encoder batch that ran them.</summary>
    public TimeSpan Queue => Stopwatch.GetElapsedTime(0, _queue);

    /// <summary>The encoder runs of those batches.</summary>
    public TimeSpan Encoder => Stopwatch.GetElapsedTime(0, _encoder);

    /// <summary>The CTC search and the transcript building after the encoder.</summary>
    public TimeSpan Decoding => Stopwatch.GetElapsedTime(0, _decoding);

    /// <summary>Adds features computed between two <see cref="Stopwatch.GetTimestamp"/> readings.</summary>
    internal void AddFeatures(long started, long ended) => _features += ended - started;

    /// <summary>Adds the wait of an utterance queued at <paramref name="queued"/> for a batch run from <paramref name="started"/> to <paramref name="ended"/>.</summary>
    internal void AddBatch(long queued, long started, long ended)
    {
        _queue += started - queued;
        _encoder += ended - started;
    }

    /// <summary>Adds a decoding between two timestamps, which ends a recognizer call.</summary>
    internal void AddDecoding(long started, long ended)
    {
        _decoding += ended - started;
        Recognitions++;
    }
}
