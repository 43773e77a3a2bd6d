namespace SpeechServe.Runtime.Audio;

/// <summary>Recognises an audio container from the first bytes of a file.</summary>
public static class ContainerSniffer
{
    /// <summary>The container the bytes start with, or <see cref="AudioContainer.Unknown"/>.</summary>
    public static AudioContainer Detect(ReadOnlySpan<byte> header)
    {
        if (header.Length >= 4 && header[..4].SequenceEqual("RIFF"u8))
        {
            return AudioContainer.Wav;
        }

        if (header.StartsWith("fLaC"u8))
        {
            return AudioContainer.Flac;
        }

        if (header.StartsWith("OggS"u8))
        {
            return AudioContainer.Ogg;
        }

        if (header.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3]))
        {
            return AudioContainer.WebM;
        }

        if (header.Length >= 8 && header.Slice(4, 4).SequenceEqual("ftyp"u8))
        {
            return AudioContainer.Mp4;
        }

        if (header.Length >= 12 && header.StartsWith("FORM"u8)
            && (header.Slice(8, 4).SequenceEqual("AIFF"u8) || header.Slice(8, 4).SequenceEqual("AIFC"u8)))
        {
            return AudioContainer.Aiff;
        }

        if (header.StartsWith("ID3"u8))
        {
            return AudioContainer.Mp3;
        }

        if (header.Length >= 2 && header[0] == 0xFF && (header[1] & 0xE0) == 0xE0)
        {
            // 11-bit frame sync; layer bits 00 mean AAC in ADTS, anything else is MPEG audio layer I-III.
            return (header[1] & 0x06) == 0 ? AudioContainer.Aac : AudioContainer.Mp3;
        }

        return AudioContainer.Unknown;
    }
}
