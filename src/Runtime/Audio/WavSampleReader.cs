using SpeechServe.Runtime.Streaming;

namespace SpeechServe.Runtime.Audio;

/// <summary>
/// A WAV file in memory read in pieces: the header is checked when the reader is made (<see cref="WavChunkReader"/>,
/// the length limit included), then each read decodes the next block of frames (<see cref="PcmSampleDecoder"/>) and
/// resamples it to 16 kHz as it goes (<see cref="StreamingResampler"/>). The samples equal
/// <see cref="AudioDecoder.DecodeWav"/>'s bit for bit; besides the file, the reader holds one block.
/// </summary>
internal sealed class WavSampleReader : AudioSampleReader
{
    // Frames decoded per block: 0.1 to 1 s at common rates.
    private const int BlockFrames = 8192;

    private readonly ReadOnlyMemory<byte> _data;
    private readonly WavFormat _format;
    private readonly StreamingResampler? _resampler;
    private long _nextFrame;
    private float[] _pending = [];
    private int _pendingOffset;
    private bool _finished;

    public WavSampleReader(ReadOnlyMemory<byte> input, AudioLimits limits)
    {
        var (format, offset, length) = WavChunkReader.Read(input, limits);
        var frames = length / format.BlockAlign;
        if (frames == 0)
        {
            throw new AudioFormatException(AudioErrorCode.EmptyAudio, "The WAV 'data' chunk holds no samples. Send a file that contains audio.");
        }

        limits.EnsureDuration(frames, format.SampleRate);
        _format = format;
        _data = input.Slice(offset, length);
        _resampler = format.SampleRate == AudioDecoder.TargetSampleRate ? null : new StreamingResampler(format.SampleRate, AudioDecoder.TargetSampleRate);
    }

    public override AudioContainer Container => AudioContainer.Wav;

    public override string OriginalFormat => _format.EncodingName;

    public override int? OriginalSampleRate => _format.SampleRate;

    public override int? OriginalChannels => _format.Channels;

    protected override ValueTask<int> ReadCoreAsync(Memory<float> destination, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        while (_pendingOffset == _pending.Length)
        {
            if (!NextBlock())
            {
                return ValueTask.FromResult(0);
            }
        }

        var count = Math.Min(destination.Length, _pending.Length - _pendingOffset);
        _pending.AsSpan(_pendingOffset, count).CopyTo(destination.Span);
        _pendingOffset += count;
        return ValueTask.FromResult(count);
    }

    // Decodes the next block into _pending; false once the data and the resampler's tail are spent.
    private bool NextBlock()
    {
        if (_finished)
        {
            return false;
        }

        var totalFrames = _data.Length / _format.BlockAlign;
        float[] samples;
        if (_nextFrame < totalFrames)
        {
            var frames = (int)Math.Min(BlockFrames, totalFrames - _nextFrame);
            var block = _data.Slice((int)(_nextFrame * _format.BlockAlign), frames * _format.BlockAlign);
            samples = PcmSampleDecoder.DecodeMono(block, _format.Encoding, _format.Channels, _nextFrame);
            _nextFrame += frames;
            if (_resampler is not null)
            {
                samples = _resampler.Accept(samples);
            }
        }
        else
        {
            _finished = true;
            samples = _resampler?.Finish() ?? [];
        }

        (_pending, _pendingOffset) = (samples, 0);
        return true;
    }
}
