namespace SpeechServe.Runtime.Audio;

/// <summary>An audio container recognised by its magic bytes.</summary>
public enum AudioContainer
{
    /// <summary>Not recognised.</summary>
    Unknown,

    /// <summary>RIFF/WAVE, decoded natively.</summary>
    Wav,

    /// <summary>Native FLAC (<c>fLaC</c>).</summary>
    Flac,

    /// <summary>MPEG audio (ID3 tag or an MPEG frame sync).</summary>
    Mp3,

    /// <summary>Ogg (Opus, Vorbis, FLAC in Ogg).</summary>
    Ogg,

    /// <summary>Matroska or WebM (EBML header).</summary>
    WebM,

    /// <summary>ISO base media: MP4, M4A, 3GP, MOV (<c>ftyp</c> at byte 4).</summary>
    Mp4,

    /// <summary>AAC in ADTS frames.</summary>
    Aac,

    /// <summary>AIFF or AIFF-C.</summary>
    Aiff,
}
