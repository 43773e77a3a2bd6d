namespace SpeechServe.Serving.Streaming;

/// <summary>Limits and endpointing of <c>/v1/audio/stream</c> (section <c>Streaming</c>; docs/streaming.md).</summary>
public sealed class StreamingServerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Streaming";

    /// <summary>
    /// Most open streams (Realtime sessions included); one more gets error <c>too_many_streams</c> and close 1013. Sized
    /// for batched streams (<see cref="MaxBatchSize"/>): a little above the 200 real-time streams the server aims to
    /// serve under 500 ms p95 final latency (docs/streaming.md, "Batching").
    /// </summary>
    public int MaxConcurrentStreams { get; set; } = 256;

    /// <summary>
    /// Most streams whose chunks share one encoder call; 1 turns batching off (each stream runs its own encoder
    /// calls, concurrently on the shared session).
    /// </summary>
    public int MaxBatchSize { get; set; } = 32;

    /// <summary>
    /// How long a batch waits, at most, for streams that are about to submit a chunk (their audio has arrived and
    /// its features are being computed); with none about to, the batch runs at once.
    /// </summary>
    public double MaxBatchWaitMilliseconds { get; set; } = 2;

    /// <summary>Largest WebSocket message in bytes; a larger one gets close 1009.</summary>
    public int MaxFrameBytes { get; set; } = 256 * 1024;

    /// <summary>Largest Realtime client event (<c>/v1/realtime</c>) in bytes; a larger one gets the error event <c>event_too_large</c>.</summary>
    public int MaxRealtimeEventBytes { get; set; } = 1024 * 1024;

    /// <summary>Seconds without any client message before the stream is closed with 4408.</summary>
    public double IdleTimeoutSeconds { get; set; } = 15;

    /// <summary>Longest stream, in seconds of audio; past it the final is sent and the stream closed with 1008.</summary>
    public double MaxStreamSeconds { get; set; } = 3600;

    /// <summary>Lowest accepted <c>sample_rate</c> in Hz.</summary>
    public int MinSampleRate { get; set; } = 8000;

    /// <summary>Highest accepted <c>sample_rate</c> in Hz.</summary>
    public int MaxSampleRate { get; set; } = 192_000;

    /// <summary>Most finals waiting for a slow reader before the stream is closed with 1008 (partials are coalesced).</summary>
    public int MaxPendingMessages { get; set; } = 64;

    /// <summary>How long shutdown waits for open streams to get their final, in seconds.</summary>
    public double ShutdownGraceSeconds { get; set; } = 10;

    /// <summary>Whether endpoints split a stream into segments.</summary>
    public bool EndpointingEnabled { get; set; } = true;

    /// <summary>Rule 1: seconds of trailing silence after speech that end a segment.</summary>
    public double PauseAfterSpeechSeconds { get; set; } = 1.0;

    /// <summary>Rule 2: seconds of silence that end a segment without speech (no final is sent for it).</summary>
    public double LongSilenceSeconds { get; set; } = 5.0;

    /// <summary>Rule 3: longest segment in seconds.</summary>
    public double MaxSegmentSeconds { get; set; } = 20.0;
}
