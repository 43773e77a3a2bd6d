using SpeechServe.Runtime.Audio;

namespace SpeechServe.Runtime.Streaming;

/// <summary>
/// <see cref="PolyphaseResampler"/> over audio that arrives in pieces: each output sample is emitted as soon as
/// every input of its window has arrived, and the concatenated output of <see cref="Accept"/> and
/// <see cref="Finish"/> equals <see cref="PolyphaseResampler.Process(ReadOnlySpan{float})"/> on the whole
/// signal, bit for bit. Memory stays at about one filter window. One instance per stream; not thread-safe.
/// </summary>
public sealed class StreamingResampler
{
    private readonly PolyphaseResampler _resampler;
    private readonly int _taps;
    private float[] _buffer;
    private int _count;
    private long _bufferStart;
    private long _received;
    private long _nextOutput;

    /// <summary>Designs the resampler from <paramref name="inputRate"/> to <paramref name="outputRate"/> Hz.</summary>
    public StreamingResampler(int inputRate, int outputRate)
    {
        _resampler = new PolyphaseResampler(inputRate, outputRate);
        _taps = _resampler.TapsPerPhase;

        // The buffer starts with the zeros that precede the signal, like Process's padding.
        _buffer = new float[4 * _taps];
        _count = _taps;
        _bufferStart = -_taps;
    }

    /// <summary>Appends input samples and returns the output samples that became computable.</summary>
    public float[] Accept(ReadOnlySpan<float> samples)
    {
        Append(samples);
        _received += samples.Length;
        return Drain(long.MaxValue);
    }

    /// <summary>Ends the signal (zeros follow it) and returns the remaining output samples.</summary>
    public float[] Finish()
    {
        Append(new float[_taps]);
        return Drain(_resampler.OutputLength(_received));
    }

    private float[] Drain(long limit)
    {
        var available = _bufferStart + _count;
        var output = new List<float>();
        while (_nextOutput < limit)
        {
            var start = _resampler.WindowStart(_nextOutput);
            if (start + _taps > available)
            {
                break;
            }

            output.Add(_resampler.Evaluate(_nextOutput, _buffer.AsSpan((int)(start - _bufferStart), _taps)));
            _nextOutput++;
        }

        // Drop the inputs no later output needs.
        var keepFrom = _resampler.WindowStart(_nextOutput);
        var drop = (int)Math.Clamp(keepFrom - _bufferStart, 0, _count);
        _buffer.AsSpan(drop, _count - drop).CopyTo(_buffer);
        _count -= drop;
        _bufferStart += drop;
        return [.. output];
    }

    private void Append(ReadOnlySpan<float> samples)
    {
        if (_count + samples.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _count + samples.Length));
        }

        samples.CopyTo(_buffer.AsSpan(_count));
        _count += samples.Length;
    }
}
