namespace SpeechServe.Runtime.Features;

/// <summary>
/// Incremental <see cref="LogMelFrontend"/>: accepts audio in chunks of any size and emits each frame as soon
/// as its 400 samples have arrived. The frames are bit-for-bit those of <see cref="LogMelFrontend.Compute(ReadOnlySpan{float})"/>
/// on the concatenated audio. One instance per stream; not thread-safe.
/// </summary>
public sealed class StreamingLogMelFrontend
{
    private readonly LogMelFrameComputer _computer = new();
    private readonly float[] _pending = new float[LogMelSpec.WindowLength * 4];
    private int _pendingCount;

    /// <summary>Frames emitted so far.</summary>
    public int FramesEmitted { get; private set; }

    /// <summary>Samples accepted so far.</summary>
    public long SamplesAccepted { get; private set; }

    /// <summary>
    /// Appends <paramref name="samples"/> and returns the features of every frame that became complete,
    /// row-major <c>[newFrames, 80]</c> (empty when none did).
    /// </summary>
    public float[] Accept(ReadOnlySpan<float> samples)
    {
        SamplesAccepted += samples.Length;
        var frames = LogMelSpec.FrameCount(SamplesAccepted) - FramesEmitted;
        var features = new float[frames * LogMelSpec.MelBins];
        var written = 0;
        while (!samples.IsEmpty || written < frames)
        {
            // Top up the pending buffer to one window, emit a frame if complete, then drop one hop.
            var take = Math.Min(samples.Length, _pending.Length - _pendingCount);
            samples[..take].CopyTo(_pending.AsSpan(_pendingCount));
            _pendingCount += take;
            samples = samples[take..];

            var offset = 0;
            while (_pendingCount - offset >= LogMelSpec.WindowLength)
            {
                _computer.Compute(_pending.AsSpan(offset, LogMelSpec.WindowLength), features.AsSpan(written * LogMelSpec.MelBins, LogMelSpec.MelBins));
                written++;
                offset += LogMelSpec.HopLength;
            }

            _pending.AsSpan(offset, _pendingCount - offset).CopyTo(_pending);
            _pendingCount -= offset;
            if (samples.IsEmpty)
            {
                break;
            }
        }

        FramesEmitted += written;
        return features;
    }

    /// <summary>Forgets all audio so that the instance can serve a new stream.</summary>
    public void Reset()
    {
        _pendingCount = 0;
        FramesEmitted = 0;
        SamplesAccepted = 0;
    }
}
