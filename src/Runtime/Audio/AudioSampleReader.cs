namespace SpeechServe.Runtime.Audio;

/// <summary>
/// Decoded audio as it is decoded: mono 16 kHz float samples pulled in pieces, so that nothing holds more than a
/// piece at a time (<see cref="AudioDecoder.OpenAsync"/>). A problem found in the middle of the audio (a corrupt
/// frame, a NaN, the length limit) is an <see cref="AudioFormatException"/> from the read that meets it; the end of
/// the audio is a read that returns 0, after the whole input was checked. One reader per input; not thread-safe.
/// </summary>
public abstract class AudioSampleReader : IAsyncDisposable
{
    /// <summary>The container the input came in.</summary>
    public abstract AudioContainer Container { get; }

    /// <summary>The source encoding, e.g. <c>pcm_s16le</c> or <c>opus</c>; for ffmpeg input, known once it reported it.</summary>
    public abstract string OriginalFormat { get; }

    /// <summary>The source sample rate in Hz, or null when the decoder did not report it (yet).</summary>
    public abstract int? OriginalSampleRate { get; }

    /// <summary>The source channel count, or null when the decoder did not report it (yet).</summary>
    public abstract int? OriginalChannels { get; }

    /// <summary>Samples returned so far.</summary>
    public long SamplesRead { get; private set; }

    /// <summary>The length of the audio returned so far.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds((double)SamplesRead / AudioDecoder.TargetSampleRate);

    /// <summary>
    /// Reads up to <paramref name="destination"/>'s length of samples; at least one unless the audio has ended, when
    /// it returns 0 (and keeps returning 0).
    /// </summary>
    /// <exception cref="AudioFormatException">The audio is malformed, too long, or its decoder failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask<int> ReadAsync(Memory<float> destination, CancellationToken cancellationToken = default)
    {
        if (destination.IsEmpty)
        {
            return 0;
        }

        var read = await ReadCoreAsync(destination, cancellationToken).ConfigureAwait(false);
        SamplesRead += read;
        return read;
    }

    /// <summary>
    /// Fills <paramref name="destination"/> unless the audio ends first: the number of samples read, less than its
    /// length only at the end.
    /// </summary>
    /// <exception cref="AudioFormatException">The audio is malformed, too long, or its decoder failed.</exception>
    public async ValueTask<int> ReadBlockAsync(Memory<float> destination, CancellationToken cancellationToken = default)
    {
        var filled = 0;
        while (filled < destination.Length)
        {
            var read = await ReadAsync(destination[filled..], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }

    /// <summary>Reads the rest of the audio into memory.</summary>
    /// <exception cref="AudioFormatException">The audio is malformed, too long, or its decoder failed.</exception>
    public async Task<DecodedAudio> ReadToEndAsync(CancellationToken cancellationToken = default)
    {
        var samples = new SampleBuffer();
        while (true)
        {
            var read = await ReadAsync(samples.Reserve(AudioDecoder.TargetSampleRate), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return new DecodedAudio(samples.ToArray(), Container, OriginalFormat, OriginalSampleRate, OriginalChannels);
            }

            samples.Commit(read);
        }
    }

    /// <summary>Stops the decoder if it still runs and releases what the reader holds.</summary>
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>The reader's own read: at least one sample, or 0 at the checked end of the audio.</summary>
    protected abstract ValueTask<int> ReadCoreAsync(Memory<float> destination, CancellationToken cancellationToken);
}
