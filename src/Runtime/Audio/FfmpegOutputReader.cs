namespace SpeechServe.Runtime.Audio;

/// <summary>Drains ffmpeg's stdout into memory, stopping the process once the byte cap is passed.</summary>
internal sealed class FfmpegOutputReader(Stream stdout, long maxBytes, Action stop)
{
    private byte[] _buffer = new byte[64 * 1024];
    private int _length;

    /// <summary>True when ffmpeg wrote more than the cap and was stopped.</summary>
    public bool CapExceeded { get; private set; }

    /// <summary>The bytes read so far.</summary>
    public ReadOnlySpan<byte> Bytes => _buffer.AsSpan(0, _length);

    /// <summary>Reads until end of stream, or until the cap is exceeded.</summary>
    public async Task ReadAsync()
    {
        var scratch = new byte[64 * 1024];
        while (true)
        {
            var read = await stdout.ReadAsync(scratch).ConfigureAwait(false);
            if (read == 0)
            {
                return;
            }

            if (CapExceeded)
            {
                continue;
            }

            if ((long)_length + read > maxBytes)
            {
                CapExceeded = true;
                stop();
                continue;
            }

            if (_length + read > _buffer.Length)
            {
                Array.Resize(ref _buffer, (int)Math.Min(Array.MaxLength, Math.Max((long)_buffer.Length * 2, (long)_length + read)));
            }

            scratch.AsSpan(0, read).CopyTo(_buffer.AsSpan(_length));
            _length += read;
        }
    }
}
