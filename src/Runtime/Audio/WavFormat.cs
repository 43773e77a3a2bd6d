namespace SpeechServe.Runtime.Audio;

/// <summary>The decoded <c>fmt </c> chunk of a WAV file.</summary>
/// <param name="Encoding">How samples are stored.</param>
/// <param name="Channels">Interleaved channel count.</param>
/// <param name="SampleRate">Frames per second.</param>
/// <param name="BitsPerSample">Container bits per sample (8, 16, 24, 32 or 64).</param>
/// <param name="BlockAlign">Bytes per frame (all channels).</param>
public readonly record struct WavFormat(
    SampleEncoding Encoding,
    int Channels,
    int SampleRate,
    int BitsPerSample,
    int BlockAlign)
{
    /// <summary>Bytes per sample of one channel.</summary>
    public int BytesPerSample => BitsPerSample / 8;

    /// <summary>A short name such as <c>pcm_s16le</c> or <c>mulaw</c>.</summary>
    public string EncodingName => Encoding switch
    {
        SampleEncoding.PcmUnsigned8 => "pcm_u8",
        SampleEncoding.PcmSigned16 => "pcm_s16le",
        SampleEncoding.PcmSigned24 => "pcm_s24le",
        SampleEncoding.PcmSigned32 => "pcm_s32le",
        SampleEncoding.IeeeFloat32 => "pcm_f32le",
        SampleEncoding.IeeeFloat64 => "pcm_f64le",
        SampleEncoding.MuLaw => "mulaw",
        SampleEncoding.ALaw => "alaw",
        _ => "unknown",
    };
}
