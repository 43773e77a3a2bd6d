namespace SpeechServe.Runtime.Streaming;

/// <summary>How a stream's binary audio frames encode samples: mono, little-endian.</summary>
public enum PcmEncoding
{
    /// <summary>Signed 16-bit integers (<c>pcm_s16le</c>), 2 bytes per sample.</summary>
    S16le,

    /// <summary>IEEE 754 32-bit floats in [-1, 1] (<c>pcm_f32le</c>), 4 bytes per sample.</summary>
    F32le,
}
