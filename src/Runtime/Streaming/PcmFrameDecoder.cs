using SpeechServe.Runtime.Audio;

namespace SpeechServe.Runtime.Streaming;

/// <summary>
/// Turns the bytes of one binary audio frame of a stream (mono, <c>pcm_s16le</c> or <c>pcm_f32le</c>) into float
/// samples, with the decoder of WAV uploads (<see cref="PcmSampleDecoder"/>).
/// </summary>
public static class PcmFrameDecoder
{
    /// <summary>
    /// Parses a stream's <c>encoding</c>: <c>pcm_s16le</c> (also when absent) or <c>pcm_f32le</c>; false for any other.
    /// </summary>
    public static bool TryParse(string? name, out SampleEncoding encoding)
    {
        encoding = SampleEncoding.PcmSigned16;
        switch (name)
        {
            case null or "" or "pcm_s16le":
                return true;
            case "pcm_f32le":
                encoding = SampleEncoding.IeeeFloat32;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Decodes a frame of whole mono samples.</summary>
    /// <exception cref="FormatException">The frame is not a whole number of samples.</exception>
    /// <exception cref="AudioFormatException">A float is not finite.</exception>
    public static float[] Decode(ReadOnlyMemory<byte> frame, SampleEncoding encoding)
    {
        var width = encoding.BytesPerSample();
        if (frame.Length % width != 0)
        {
            throw new FormatException(
                $"A {encoding.WireName()} frame must hold whole samples of {width} bytes; this one has {frame.Length} bytes. Split audio only between samples.");
        }

        return PcmSampleDecoder.DecodeMono(frame, encoding, channels: 1);
    }
}
