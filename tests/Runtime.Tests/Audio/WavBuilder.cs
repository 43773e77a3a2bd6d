using System.Buffers.Binary;
using NAudio.Codecs;
using SpeechServe.Runtime.Audio;

namespace SpeechServe.Runtime.Tests.Audio;

/// <summary>Builds WAV files in memory, well-formed or deliberately broken.</summary>
internal sealed record WavBuilder(int SampleRate, int Channels, SampleEncoding Encoding)
{
    /// <summary>Offset of the format code in a file built without chunks before <c>fmt </c>.</summary>
    public const int FormatCodeOffset = 20;
    public const int ChannelsOffset = 22;
    public const int SampleRateOffset = 24;
    public const int BlockAlignOffset = 32;
    public const int BitsOffset = 34;

    public bool Extensible { get; init; }

    public bool ListChunkBeforeFormat { get; init; }

    /// <summary>Adds an odd-sized chunk between fmt and data, written without its pad byte.</summary>
    public bool UnpaddedOddChunk { get; init; }

    /// <summary>Adds an odd-sized chunk between fmt and data, written with its pad byte.</summary>
    public bool PaddedOddChunk { get; init; }

    public uint? RiffSize { get; init; }

    public uint? DataSize { get; init; }

    public int BitsPerSample => Encoding switch
    {
        SampleEncoding.PcmUnsigned8 or SampleEncoding.MuLaw or SampleEncoding.ALaw => 8,
        SampleEncoding.PcmSigned16 => 16,
        SampleEncoding.PcmSigned24 => 24,
        SampleEncoding.IeeeFloat64 => 64,
        _ => 32,
    };

    public int FormatCode => Encoding switch
    {
        SampleEncoding.IeeeFloat32 or SampleEncoding.IeeeFloat64 => 3,
        SampleEncoding.ALaw => 6,
        SampleEncoding.MuLaw => 7,
        _ => 1,
    };

    public byte[] Build(ReadOnlySpan<float> interleaved) => Build(EncodeSamples(interleaved));

    public byte[] Build(byte[] data)
    {
        using var stream = new MemoryStream();
        stream.Write("RIFF"u8);
        WriteUInt32(stream, 0);
        stream.Write("WAVE"u8);
        if (ListChunkBeforeFormat)
        {
            WriteChunk(stream, "LIST", "INFOISFT\u0005\0\0\0test\0\0"u8.ToArray(), pad: true);
        }

        WriteChunk(stream, "fmt ", FormatChunk(), pad: true);
        if (UnpaddedOddChunk)
        {
            WriteChunk(stream, "junk", [1, 2, 3], pad: false);
        }

        if (PaddedOddChunk)
        {
            WriteChunk(stream, "junk", [1, 2, 3], pad: true);
        }

        stream.Write("data"u8);
        WriteUInt32(stream, DataSize ?? (uint)data.Length);
        stream.Write(data);
        var bytes = stream.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), RiffSize ?? (uint)(bytes.Length - 8));
        return bytes;
    }

    public byte[] EncodeSamples(ReadOnlySpan<float> interleaved)
    {
        var width = BitsPerSample / 8;
        var data = new byte[interleaved.Length * width];
        for (var i = 0; i < interleaved.Length; i++)
        {
            var x = Math.Clamp((double)interleaved[i], -1.0, 1.0);
            var target = data.AsSpan(i * width, width);
            switch (Encoding)
            {
                case SampleEncoding.PcmUnsigned8:
                    target[0] = (byte)Math.Clamp(Math.Round((x * 128) + 128), 0, 255);
                    break;
                case SampleEncoding.PcmSigned16:
                    BinaryPrimitives.WriteInt16LittleEndian(target, ToInt16(x));
                    break;
                case SampleEncoding.PcmSigned24:
                    var v24 = (int)Math.Clamp(Math.Round(x * 8388608), -8388608, 8388607);
                    target[0] = (byte)v24;
                    target[1] = (byte)(v24 >> 8);
                    target[2] = (byte)(v24 >> 16);
                    break;
                case SampleEncoding.PcmSigned32:
                    BinaryPrimitives.WriteInt32LittleEndian(target, (int)Math.Clamp(Math.Round(x * 2147483648.0), int.MinValue, int.MaxValue));
                    break;
                case SampleEncoding.IeeeFloat32:
                    BinaryPrimitives.WriteSingleLittleEndian(target, interleaved[i]);
                    break;
                case SampleEncoding.IeeeFloat64:
                    BinaryPrimitives.WriteDoubleLittleEndian(target, interleaved[i]);
                    break;
                case SampleEncoding.MuLaw:
                    target[0] = MuLawEncoder.LinearToMuLawSample(ToG711Input(x));
                    break;
                case SampleEncoding.ALaw:
                    target[0] = ALawEncoder.LinearToALawSample(ToG711Input(x));
                    break;
            }
        }

        return data;
    }

    private byte[] FormatChunk()
    {
        var size = Extensible ? 40 : 16;
        var chunk = new byte[size];
        var blockAlign = Channels * (BitsPerSample / 8);
        BinaryPrimitives.WriteUInt16LittleEndian(chunk, (ushort)(Extensible ? 0xFFFE : FormatCode));
        BinaryPrimitives.WriteUInt16LittleEndian(chunk.AsSpan(2), (ushort)Channels);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(4), (uint)SampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(8), (uint)(SampleRate * blockAlign));
        BinaryPrimitives.WriteUInt16LittleEndian(chunk.AsSpan(12), (ushort)blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(chunk.AsSpan(14), (ushort)BitsPerSample);
        if (Extensible)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(chunk.AsSpan(16), 22);
            BinaryPrimitives.WriteUInt16LittleEndian(chunk.AsSpan(18), (ushort)BitsPerSample);
            BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(20), Channels == 2 ? 3u : 4u);
            BinaryPrimitives.WriteUInt16LittleEndian(chunk.AsSpan(24), (ushort)FormatCode);
            byte[] suffix = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];
            suffix.CopyTo(chunk.AsSpan(26));
        }

        return chunk;
    }

    private static short ToInt16(double x) => (short)Math.Clamp(Math.Round(x * 32768), short.MinValue, short.MaxValue);

    // NAudio's G.711 encoders negate the sample in 16 bits, which wraps -32768 to itself and encodes it as silence.
    private static short ToG711Input(double x) => Math.Max(ToInt16(x), (short)-short.MaxValue);

    private static void WriteChunk(Stream stream, string id, byte[] body, bool pad)
    {
        stream.Write(System.Text.Encoding.ASCII.GetBytes(id));
        WriteUInt32(stream, (uint)body.Length);
        stream.Write(body);
        if (pad && (body.Length & 1) == 1)
        {
            stream.WriteByte(0);
        }
    }

    private static void WriteUInt32(Stream stream, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        stream.Write(bytes);
    }
}
