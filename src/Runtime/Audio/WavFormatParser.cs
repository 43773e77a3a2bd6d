using NAudio.Wave;

namespace SpeechServe.Runtime.Audio;

/// <summary>
/// Reads a WAV <c>fmt </c> chunk with NAudio (<see cref="WaveFormat.FromFormatChunk"/>, the reader
/// <see cref="WaveFileReader"/> uses) and checks it against what <see cref="PcmSampleDecoder"/> decodes and the
/// limits allow.
/// </summary>
internal static class WavFormatParser
{
    private const int ExtensibleExtraSize = 22;
    private const int SubFormatOffset = 6;

    private static readonly byte[] SubFormatPattern = AudioMediaSubtypes.MEDIASUBTYPE_PCM.ToByteArray();

    public static WavFormat Parse(ReadOnlyMemory<byte> chunk, AudioLimits limits)
    {
        WaveFormat format;
        try
        {
            using var reader = new BinaryReader(ByteMemory.AsStream(chunk));
            format = WaveFormat.FromFormatChunk(reader, chunk.Length);
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
        {
            // InvalidDataException: under 16 bytes; EndOfStreamException: 17 bytes, a cut cbSize field.
            throw new AudioFormatException(
                AudioErrorCode.TruncatedHeader,
                $"The WAV 'fmt ' chunk is {chunk.Length} bytes; it needs at least 16 (18 with its size field). Re-export the file with a standard WAV writer.",
                ex);
        }

        var formatCode = format.Encoding;
        if (formatCode == WaveFormatEncoding.Extensible)
        {
            formatCode = SubFormat(format);
        }

        // NAudio reads the header's unsigned fields as signed 16 and 32-bit values.
        var channels = (ushort)format.Channels;
        var sampleRate = (uint)format.SampleRate;
        var blockAlign = (ushort)format.BlockAlign;
        var bits = (ushort)format.BitsPerSample;
        if (channels == 0)
        {
            throw new AudioFormatException(AudioErrorCode.ZeroChannels, "The WAV header declares 0 channels. Re-export the file with at least one channel.");
        }

        if (sampleRate < limits.MinSampleRate || sampleRate > limits.MaxSampleRate)
        {
            throw new AudioFormatException(
                AudioErrorCode.UnsupportedSampleRate,
                $"The sample rate {sampleRate} Hz is outside the accepted range {limits.MinSampleRate}..{limits.MaxSampleRate} Hz. Resample the audio (16000 Hz is ideal).");
        }

        var encoding = ToEncoding(formatCode, bits);
        var expectedAlign = channels * (bits / 8);
        if (blockAlign != expectedAlign)
        {
            throw new AudioFormatException(
                AudioErrorCode.BlockAlignMismatch,
                $"The WAV block align is {blockAlign} bytes but {channels} channel(s) of {bits}-bit samples need {expectedAlign}. The header is inconsistent; re-export the file.");
        }

        return new WavFormat(encoding, channels, (int)sampleRate, bits, blockAlign);
    }

    // NAudio's AsStandardWaveFormat maps only the PCM and 32-bit float sub-formats, so the sub-format GUID is read
    // here: every KSDATAFORMAT_SUBTYPE_* is a format code in the first two bytes of MEDIASUBTYPE_PCM's pattern.
    private static WaveFormatEncoding SubFormat(WaveFormat format)
    {
        var extra = format is WaveFormatExtraData withExtra ? withExtra.ExtraData : [];
        if (extra.Length < ExtensibleExtraSize)
        {
            throw new AudioFormatException(
                AudioErrorCode.TruncatedHeader,
                $"The WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk holds {extra.Length} extra bytes; it needs {ExtensibleExtraSize}. Re-export the file with a standard WAV writer.");
        }

        var subFormat = extra.AsSpan(SubFormatOffset, 16);
        if (!subFormat[2..].SequenceEqual(SubFormatPattern.AsSpan(2)))
        {
            throw new AudioFormatException(
                AudioErrorCode.UnsupportedEncoding,
                $"The WAV sub-format {new Guid(subFormat)} is not supported. Use PCM, IEEE float, mu-law or A-law.");
        }

        return (WaveFormatEncoding)BitConverter.ToUInt16(subFormat);
    }

    private static SampleEncoding ToEncoding(WaveFormatEncoding formatCode, int bits) => formatCode switch
    {
        WaveFormatEncoding.Pcm => bits switch
        {
            8 => SampleEncoding.PcmUnsigned8,
            16 => SampleEncoding.PcmSigned16,
            24 => SampleEncoding.PcmSigned24,
            32 => SampleEncoding.PcmSigned32,
            _ => throw UnsupportedBits("PCM", bits, "8, 16, 24 or 32"),
        },
        WaveFormatEncoding.IeeeFloat => bits switch
        {
            32 => SampleEncoding.IeeeFloat32,
            64 => SampleEncoding.IeeeFloat64,
            _ => throw UnsupportedBits("IEEE float", bits, "32 or 64"),
        },
        WaveFormatEncoding.MuLaw => bits == 8 ? SampleEncoding.MuLaw : throw UnsupportedBits("mu-law", bits, "8"),
        WaveFormatEncoding.ALaw => bits == 8 ? SampleEncoding.ALaw : throw UnsupportedBits("A-law", bits, "8"),
        _ => throw new AudioFormatException(
            AudioErrorCode.UnsupportedEncoding,
            $"The WAV format code 0x{(ushort)formatCode:X4} is not supported. Use PCM (1), IEEE float (3), A-law (6) or mu-law (7), or send FLAC/MP3/OGG."),
    };

    private static AudioFormatException UnsupportedBits(string format, int bits, string allowed) => new(
        AudioErrorCode.UnsupportedBitsPerSample,
        $"{bits}-bit {format} WAV is not supported; {format} must be {allowed} bits per sample.");
}
