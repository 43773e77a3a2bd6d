namespace SpeechServe.Runtime.Audio;

/// <summary>
/// RIFF/WAVE decoder: PCM 8 (unsigned), 16, 24 and 32-bit, IEEE float 32 and 64-bit, G.711 mu-law and A-law,
/// plain or WAVE_FORMAT_EXTENSIBLE, any channel count (averaged to mono), any sample rate in the limits' range.
/// The chunk walk is strict (<see cref="WavChunkReader"/>); NAudio reads the format chunk and converts the
/// samples (<see cref="PcmSampleDecoder"/>). Every rejection is an <see cref="AudioFormatException"/>.
/// </summary>
public static class WavParser
{
    /// <summary>Parses a complete WAV file held in memory.</summary>
    /// <exception cref="AudioFormatException">The input is not a valid, supported WAV file, or it is too long.</exception>
    public static WavAudio Parse(ReadOnlyMemory<byte> input, AudioLimits? limits = null)
    {
        limits ??= AudioLimits.Default;
        var (format, offset, length) = WavChunkReader.Read(input, limits);
        var frames = length / format.BlockAlign;
        if (frames == 0)
        {
            throw new AudioFormatException(AudioErrorCode.EmptyAudio, "The WAV 'data' chunk holds no samples. Send a file that contains audio.");
        }

        limits.EnsureDuration(frames, format.SampleRate);
        return new WavAudio(format, PcmSampleDecoder.DecodeMono(input.Slice(offset, length), format.Encoding, format.Channels));
    }

    /// <summary>Reads a stream to its end and parses it as a WAV file.</summary>
    /// <exception cref="AudioFormatException">The input is not a valid, supported WAV file, or it is too long.</exception>
    public static async Task<WavAudio> ParseAsync(Stream input, AudioLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var buffer = new MemoryStream();
        await input.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), limits);
    }
}
