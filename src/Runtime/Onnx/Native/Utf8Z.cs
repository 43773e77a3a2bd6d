using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace SpeechServe.Runtime.Onnx.Native;

/// <summary>
/// A null-terminated UTF-8 copy of a string on the pinned object heap, so its address can be handed to native code
/// for as long as the object is referenced, with no pinning at each call.
/// </summary>
internal sealed unsafe class Utf8Z
{
    private readonly byte[] _bytes;

    public Utf8Z(string value)
    {
        Value = value;
        var length = Encoding.UTF8.GetByteCount(value);
        _bytes = GC.AllocateUninitializedArray<byte>(length + 1, pinned: true);
        Encoding.UTF8.GetBytes(value, _bytes);
        _bytes[length] = 0;
    }

    /// <summary>The string as given.</summary>
    public string Value { get; }

    /// <summary>Address of the first byte; stable for the lifetime of this object.</summary>
    public byte* Pointer => (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_bytes));

    /// <summary>Reads a null-terminated UTF-8 string from native memory.</summary>
    public static string Read(byte* pointer) => Marshal.PtrToStringUTF8((nint)pointer) ?? string.Empty;

    /// <inheritdoc />
    public override string ToString() => Value;
}
