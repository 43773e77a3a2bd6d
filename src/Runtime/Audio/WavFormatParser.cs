using System.Buffers.Binary;

namespace SpeechServe.Runtime.Audio;

/// <summary>Parses and validates a WAV <c>fmt </c> chunk, including WAVE_FORMAT_EXTENSIBLE.</summary>
internal static class WavFormatParser
{
    private const int FormatPcm = 0x0001;
    private const int FormatIeeeFloat = 0x0003;
    private const int FormatALaw = 0x0006;
    private const int FormatMuLaw = 0x0007;
    private const int FormatExtensible = 0xFFFE;

    // KSDATAFORMAT_SUBTYPE_* GUIDs are the format code followed by these 14 bytes.
    private static ReadOnlySpan<byte> SubFormatSuffix =>
        [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    public static WavFormat Parse(ReadOnlySpan<byte> chunk, AudioLimits limits)
    {
        if (chunk.Length < 16)
        {
            throw new AudioFormatException(
                AudioErrorCode.TruncatedHeader,
                $"The WAV 'fmt ' chunk is {chunk.Length} bytes; it needs at least 16. Re-export the file with a standard WAV writer.");
        }

        int formatCode = BinaryPrimitives.ReadUInt16LittleEndian(chunk);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(chunk[2..]);
        var sampleRate = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(chunk[12..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(chunk[14..]);

        if (formatCode == FormatExtensible)
        {
            if (chunk.Length < 40)
            {
                throw new AudioFormatException(
                    AudioErrorCode.TruncatedHeader,
                    $"The WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk is {chunk.Length} bytes; it needs 40. Re-export the file with a standard WAV writer.");
            }

            var subFormat = chunk.Slice(24, 16);
            if (!subFormat[2..].SequenceEqual(SubFormatSuffix))
            {
                throw new AudioFormatException(
                    AudioErrorCode.UnsupportedEncoding,
                    $"The WAV sub-format {new Guid(subFormat)} is not supported. Use PCM, IEEE float, mu-law or A-law.");
            }

            formatCode = BinaryPrimitives.ReadUInt16LittleEndian(subFormat);
        }

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

    private static SampleEncoding ToEncoding(int formatCode, int bits) => formatCode switch
    {
        FormatPcm => bits switch
        {
            8 => SampleEncoding.PcmUnsigned8,
            16 => SampleEncoding.PcmSigned16,
            24 => SampleEncoding.PcmSigned24,
            32 => SampleEncoding.PcmSigned32,
            _ => throw UnsupportedBits("PCM", bits, "8, 16, 24 or 32"),
        },
        FormatIeeeFloat => bits switch
        {
            32 => SampleEncoding.IeeeFloat32,
            64 => SampleEncoding.IeeeFloat64,
            _ => throw UnsupportedBits("IEEE float", bits, "32 or 64"),
        },
        FormatMuLaw => bits == 8 ? SampleEncoding.MuLaw : throw UnsupportedBits("mu-law", bits, "8"),
        FormatALaw => bits == 8 ? SampleEncoding.ALaw : throw UnsupportedBits("A-law", bits, "8"),
        _ => throw new AudioFormatException(
            AudioErrorCode.UnsupportedEncoding,
            $"The WAV format code 0x{formatCode:X4} is not supported. Use PCM (1), IEEE float (3), A-law (6) or mu-law (7), or send FLAC/MP3/OGG."),
    };

    private static AudioFormatException UnsupportedBits(string format, int bits, string allowed) => new(
        AudioErrorCode.UnsupportedBitsPerSample,
        $"{bits}-bit {format} WAV is not supported; {format} must be {allowed} bits per sample.");
}
