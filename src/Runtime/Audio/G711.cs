namespace SpeechServe.Runtime.Audio;

/// <summary>ITU-T G.711 decoders (mu-law and A-law) to 16-bit linear PCM values.</summary>
public static class G711
{
    private static readonly short[] MuLawTable = BuildTable(DecodeMuLawSlow);
    private static readonly short[] ALawTable = BuildTable(DecodeALawSlow);

    /// <summary>Decodes one mu-law byte to a linear value in [-32124, 32124].</summary>
    public static short DecodeMuLaw(byte code) => MuLawTable[code];

    /// <summary>Decodes one A-law byte to a linear value in [-32256, 32256].</summary>
    public static short DecodeALaw(byte code) => ALawTable[code];

    private static short[] BuildTable(Func<byte, short> decode)
    {
        var table = new short[256];
        for (var i = 0; i < 256; i++)
        {
            table[i] = decode((byte)i);
        }

        return table;
    }

    private static short DecodeMuLawSlow(byte code)
    {
        // Codes are stored inverted; bias 0x84 (132) is added before the segment shift and removed after.
        var u = ~code & 0xFF;
        var exponent = (u >> 4) & 0x07;
        var mantissa = u & 0x0F;
        var magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
        return (short)((u & 0x80) != 0 ? -magnitude : magnitude);
    }

    private static short DecodeALawSlow(byte code)
    {
        // Even bits are inverted on the wire; the sign bit set means positive.
        var a = code ^ 0x55;
        var exponent = (a >> 4) & 0x07;
        var mantissa = a & 0x0F;
        var magnitude = exponent == 0
            ? (mantissa << 4) + 8
            : ((mantissa << 4) + 0x108) << (exponent - 1);
        return (short)((a & 0x80) != 0 ? magnitude : -magnitude);
    }
}
