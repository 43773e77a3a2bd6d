using System.Buffers.Binary;

namespace SpeechServe.Runtime.Audio;

/// <summary>Converts interleaved WAV sample bytes to mono floats, averaging the channels.</summary>
internal static class PcmSampleDecoder
{
    public static float[] DecodeMono(ReadOnlySpan<byte> data, WavFormat format)
    {
        var frames = data.Length / format.BlockAlign;
        var output = new float[frames];
        var channels = format.Channels;
        var width = format.BytesPerSample;
        var scale = 1.0 / channels;
        for (var frame = 0; frame < frames; frame++)
        {
            var offset = frame * format.BlockAlign;
            double sum = 0;
            for (var channel = 0; channel < channels; channel++)
            {
                sum += ReadSample(data.Slice(offset + (channel * width), width), format.Encoding, frame);
            }

            output[frame] = (float)(sum * scale);
        }

        return output;
    }

    private static double ReadSample(ReadOnlySpan<byte> bytes, SampleEncoding encoding, int frame) => encoding switch
    {
        SampleEncoding.PcmUnsigned8 => (bytes[0] - 128) / 128.0,
        SampleEncoding.PcmSigned16 => BinaryPrimitives.ReadInt16LittleEndian(bytes) / 32768.0,
        SampleEncoding.PcmSigned24 => (((bytes[2] << 24) | (bytes[1] << 16) | (bytes[0] << 8)) >> 8) / 8388608.0,
        SampleEncoding.PcmSigned32 => BinaryPrimitives.ReadInt32LittleEndian(bytes) / 2147483648.0,
        SampleEncoding.IeeeFloat32 => Finite(BinaryPrimitives.ReadSingleLittleEndian(bytes), frame),
        SampleEncoding.IeeeFloat64 => Finite(BinaryPrimitives.ReadDoubleLittleEndian(bytes), frame),
        SampleEncoding.MuLaw => G711.DecodeMuLaw(bytes[0]) / 32768.0,
        SampleEncoding.ALaw => G711.DecodeALaw(bytes[0]) / 32768.0,
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Unknown sample encoding."),
    };

    private static double Finite(double value, int frame) => double.IsFinite(value)
        ? value
        : throw new AudioFormatException(
            AudioErrorCode.NonFiniteSample,
            $"The float WAV holds a {(double.IsNaN(value) ? "NaN" : "infinite")} sample at frame {frame}. Fix the audio so that every sample is a finite number.");
}
