using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace SpeechServe.Runtime.Tests.Features;

/// <summary>
/// Reads float32 tensors from a safetensors file: an 8-byte little-endian header length, a JSON header
/// mapping names to dtype, shape and data offsets (relative to the end of the header), then the data.
/// </summary>
internal sealed class SafetensorsFile
{
    private readonly byte[] _bytes;
    private readonly long _dataStart;
    private readonly JsonElement _header;

    private SafetensorsFile(byte[] bytes)
    {
        _bytes = bytes;
        var headerLength = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        _dataStart = 8 + headerLength;
        _header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength)).RootElement.Clone();
    }

    public static SafetensorsFile Open(string path) => new(File.ReadAllBytes(path));

    public bool Contains(string name) => _header.TryGetProperty(name, out _);

    public (float[] Values, long[] Shape) ReadFloat32(string name)
    {
        var entry = _header.GetProperty(name);
        var dtype = entry.GetProperty("dtype").GetString();
        if (dtype != "F32")
        {
            throw new InvalidDataException($"Tensor '{name}' is {dtype}; expected F32.");
        }

        var shape = entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var offsets = entry.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var span = _bytes.AsSpan((int)(_dataStart + offsets[0]), (int)(offsets[1] - offsets[0]));
        return (MemoryMarshal.Cast<byte, float>(span).ToArray(), shape);
    }
}
