namespace SpeechServe.Runtime.Audio;

/// <summary>
/// The start of a decoded audio, read ahead to choose how to process it without decoding all of it first: when the
/// audio ends within the read-ahead limit, <see cref="Samples"/> holds all of it (and every decoding problem has been
/// found); otherwise <see cref="Reader"/> returns the samples read ahead and then decodes the rest as it is read.
/// Disposing it disposes the reader it was made from.
/// </summary>
public sealed class ReadAheadAudio : IAsyncDisposable
{
    private readonly AudioSampleReader _source;
    private readonly float[] _samples;
    private AudioSampleReader? _reader;

    private ReadAheadAudio(AudioSampleReader source, float[] samples, bool isComplete)
    {
        _source = source;
        _samples = samples;
        IsComplete = isComplete;
    }

    /// <summary>True when the audio ended within the read-ahead limit: <see cref="Samples"/> is all of it.</summary>
    public bool IsComplete { get; }

    /// <summary>All the samples of complete audio.</summary>
    /// <exception cref="InvalidOperationException">The audio is longer than the read-ahead limit; read it through <see cref="Reader"/>.</exception>
    public float[] Samples => IsComplete
        ? _samples
        : throw new InvalidOperationException("The audio is longer than was read ahead: read it through Reader.");

    /// <summary>The audio from its first sample: the samples read ahead, then the rest as it is decoded. One reader, read once.</summary>
    public AudioSampleReader Reader => _reader ??= new PrefixedSampleReader(_samples, _source);

    /// <summary>The length of the audio decoded so far: all of it once <see cref="Reader"/> reached its end, or when <see cref="IsComplete"/>.</summary>
    public TimeSpan Duration => _source.Duration;

    /// <summary>
    /// Reads <paramref name="source"/> until it ends or more than <paramref name="limit"/> samples were read (then
    /// <see cref="IsComplete"/> is false). Takes ownership of <paramref name="source"/>, also when it throws.
    /// </summary>
    /// <exception cref="AudioFormatException">The audio read so far is malformed, too long, or its decoder failed.</exception>
    public static async Task<ReadAheadAudio> ReadAsync(AudioSampleReader source, long limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        try
        {
            var samples = new SampleBuffer();
            while (true)
            {
                // Up to limit + 1 samples: one past the limit tells longer audio from audio that ends exactly there.
                var room = limit - samples.Count;
                if (room < 0)
                {
                    return new ReadAheadAudio(source, samples.ToArray(), isComplete: false);
                }

                var read = await source.ReadAsync(samples.Reserve(room >= AudioDecoder.TargetSampleRate ? AudioDecoder.TargetSampleRate : (int)room + 1), cancellationToken)
                    .ConfigureAwait(false);
                if (read == 0)
                {
                    return new ReadAheadAudio(source, samples.ToArray(), isComplete: true);
                }

                samples.Commit(read);
            }
        }
        catch
        {
            await source.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _source.DisposeAsync();

    // The samples read ahead, then the rest of the source; lets go of the read-ahead samples once they are returned.
    private sealed class PrefixedSampleReader(float[] head, AudioSampleReader rest) : AudioSampleReader
    {
        private float[] _head = head;
        private int _offset;

        public override AudioContainer Container => rest.Container;

        public override string OriginalFormat => rest.OriginalFormat;

        public override int? OriginalSampleRate => rest.OriginalSampleRate;

        public override int? OriginalChannels => rest.OriginalChannels;

        protected override ValueTask<int> ReadCoreAsync(Memory<float> destination, CancellationToken cancellationToken)
        {
            if (_offset == _head.Length)
            {
                return rest.ReadAsync(destination, cancellationToken);
            }

            var count = Math.Min(destination.Length, _head.Length - _offset);
            _head.AsSpan(_offset, count).CopyTo(destination.Span);
            _offset += count;
            if (_offset == _head.Length)
            {
                (_head, _offset) = ([], 0);
            }

            return ValueTask.FromResult(count);
        }
    }
}
