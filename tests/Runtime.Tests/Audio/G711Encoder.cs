using System.Numerics;

namespace SpeechServe.Runtime.Tests.Audio;

/// <summary>G.711 encoders (the inverse of the decoders under test), from the ITU-T segment tables.</summary>
internal static class G711Encoder
{
    public static byte EncodeMuLaw(short pcm)
    {
        int value = pcm;
        var sign = value < 0 ? 0x80 : 0;
        value = Math.Min(Math.Abs(value), 32635) + 0x84;
        var exponent = BitOperations.Log2((uint)value) - 7;
        var mantissa = (value >> (exponent + 3)) & 0x0F;
        return (byte)~(sign | (exponent << 4) | mantissa);
    }

    public static byte EncodeALaw(short pcm)
    {
        int value = pcm;
        var sign = value >= 0 ? 0x80 : 0;
        value = Math.Min(Math.Abs(value), 32767);
        int exponent, mantissa;
        if (value < 256)
        {
            exponent = 0;
            mantissa = value >> 4;
        }
        else
        {
            exponent = BitOperations.Log2((uint)value) - 7;
            mantissa = (value >> (exponent + 3)) & 0x0F;
        }

        return (byte)((sign | (exponent << 4) | mantissa) ^ 0x55);
    }
}
