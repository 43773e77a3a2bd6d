using System.Text;

namespace SpeechServe.Export.Tests.Checkpoints;

/// <summary>
/// Assembles TorchSharp checkpoints byte by byte from the documented layout, independently of
/// the writer under test: varint count; per entry varint name length, UTF-8 name, varint dtype
/// code, varint rank, varint dims, raw data.
/// </summary>
internal sealed class TorchSharpBytes
{
    private readonly List<byte> _bytes = [];

    public static byte[] Leb(ulong value)
    {
        var result = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            result.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return [.. result];
    }

    public TorchSharpBytes Varint(ulong value) => Raw(Leb(value));

    public TorchSharpBytes Name(string name)
    {
        var utf8 = Encoding.UTF8.GetBytes(name);
        return Varint((ulong)utf8.Length).Raw(utf8);
    }

    public TorchSharpBytes Header(int dtypeCode, params long[] shape)
    {
        Varint((ulong)dtypeCode).Varint((ulong)shape.Length);
        foreach (var dim in shape)
        {
            Varint((ulong)dim);
        }

        return this;
    }

    public TorchSharpBytes Raw(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public TorchSharpBytes Zeros(int count) => Raw(new byte[count]);

    public byte[] ToArray() => [.. _bytes];
}
