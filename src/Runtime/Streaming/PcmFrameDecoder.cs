using System.Buffers.Binary;

namespace SpeechServe.Runtime.Streaming;

/// <summary>Turns the bytes of one binary audio frame into float samples.</summary>
public static class PcmFrameDecoder
{
    /// <summary>The wire name of <paramref name="encoding"/>: <c>pcm_s16le</c> or <c>pcm_f32le</c>.</summary>
    public static string WireName(PcmEncoding encoding) => encoding == PcmEncoding.F32le ? "pcm_f32le" : "pcm_s16le";

    /// <summary>Parses a wire name; false when it is neither <c>pcm_s16le</c> nor <c>pcm_f32le</c>.</summary>
    public static bool TryParse(string? name, out PcmEncoding encoding)
    {
        encoding = PcmEncoding.S16le;
        switch (name)
        {
            case null or "" or "pcm_s16le":
                return true;
            case "pcm_f32le":
                encoding = PcmEncoding.F32le;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Bytes per sample of <paramref name="encoding"/>.</summary>
    public static int BytesPerSample(PcmEncoding encoding) => encoding == PcmEncoding.F32le ? 4 : 2;

    /// <summary>Decodes a frame of whole samples.</summary>
    /// <exception cref="FormatException">The frame is not a whole number of samples, or a float is not finite.</exception>
    public static float[] Decode(ReadOnlySpan<byte> frame, PcmEncoding encoding)
    {
        var width = BytesPerSample(encoding);
        if (frame.Length % width != 0)
        {
            throw new FormatException(
                $"A {WireName(encoding)} frame must hold whole samples of {width} bytes; this one has {frame.Length} bytes. Split audio only between samples.");
        }

        var samples = new float[frame.Length / width];
        for (var i = 0; i < samples.Length; i++)
        {
            if (encoding == PcmEncoding.S16le)
            {
                samples[i] = BinaryPrimitives.ReadInt16LittleEndian(frame.Slice(i * 2, 2)) / 32768f;
                continue;
            }

            var value = BinaryPrimitives.ReadSingleLittleEndian(frame.Slice(i * 4, 4));
            samples[i] = float.IsFinite(value)
                ? value
                : throw new FormatException($"Sample {i} of the frame is not a finite float; send samples in [-1, 1].");
        }

        return samples;
    }
}
