namespace SpeechServe.Runtime.Audio;

/// <summary>The validated <c>fmt </c> chunk of a WAV file.</summary>
/// <param name="Encoding">How samples are stored (for WAVE_FORMAT_EXTENSIBLE, its sub-format).</param>
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
    public string EncodingName => Encoding.WireName();
}
