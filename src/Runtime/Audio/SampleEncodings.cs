namespace SpeechServe.Runtime.Audio;

/// <summary>Sizes and wire names of <see cref="SampleEncoding"/> values.</summary>
public static class SampleEncodings
{
    /// <summary>Bytes per sample of one channel.</summary>
    public static int BytesPerSample(this SampleEncoding encoding) => encoding switch
    {
        SampleEncoding.PcmUnsigned8 or SampleEncoding.MuLaw or SampleEncoding.ALaw => 1,
        SampleEncoding.PcmSigned16 => 2,
        SampleEncoding.PcmSigned24 => 3,
        SampleEncoding.PcmSigned32 or SampleEncoding.IeeeFloat32 => 4,
        SampleEncoding.IeeeFloat64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Unknown sample encoding."),
    };

    /// <summary>A short name such as <c>pcm_s16le</c> or <c>mulaw</c>, as in ffmpeg's sample formats.</summary>
    public static string WireName(this SampleEncoding encoding) => encoding switch
    {
        SampleEncoding.PcmUnsigned8 => "pcm_u8",
        SampleEncoding.PcmSigned16 => "pcm_s16le",
        SampleEncoding.PcmSigned24 => "pcm_s24le",
        SampleEncoding.PcmSigned32 => "pcm_s32le",
        SampleEncoding.IeeeFloat32 => "pcm_f32le",
        SampleEncoding.IeeeFloat64 => "pcm_f64le",
        SampleEncoding.MuLaw => "mulaw",
        SampleEncoding.ALaw => "alaw",
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Unknown sample encoding."),
    };
}
