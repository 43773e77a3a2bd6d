namespace SpeechServe.Runtime.Audio;

/// <summary>How one sample is stored in a WAV data chunk.</summary>
public enum SampleEncoding
{
    /// <summary>8-bit unsigned PCM, 128 is silence.</summary>
    PcmUnsigned8,

    /// <summary>16-bit signed little-endian PCM.</summary>
    PcmSigned16,

    /// <summary>24-bit signed little-endian PCM (3 bytes).</summary>
    PcmSigned24,

    /// <summary>32-bit signed little-endian PCM.</summary>
    PcmSigned32,

    /// <summary>32-bit IEEE float, little-endian.</summary>
    IeeeFloat32,

    /// <summary>64-bit IEEE float, little-endian.</summary>
    IeeeFloat64,

    /// <summary>8-bit G.711 mu-law.</summary>
    MuLaw,

    /// <summary>8-bit G.711 A-law.</summary>
    ALaw,
}
