namespace SpeechServe.Runtime.Onnx;

#pragma warning disable CA1720 // The members are named after ONNX's element types, which are type names.

/// <summary>
/// Element type of a tensor (<c>ONNXTensorElementDataType</c> in <c>onnxruntime_c_api.h</c>); the numeric values are
/// the C enum's, which are also ONNX's <c>TensorProto.DataType</c> values.
/// </summary>
public enum TensorElementType
{
    /// <summary>Not a tensor or not known.</summary>
    Undefined = 0,

    /// <summary>32-bit IEEE float (<see cref="float"/>).</summary>
    Float = 1,

    /// <summary>Unsigned 8-bit integer (<see cref="byte"/>).</summary>
    UInt8 = 2,

    /// <summary>Signed 8-bit integer (<see cref="sbyte"/>).</summary>
    Int8 = 3,

    /// <summary>Unsigned 16-bit integer (<see cref="ushort"/>).</summary>
    UInt16 = 4,

    /// <summary>Signed 16-bit integer (<see cref="short"/>).</summary>
    Int16 = 5,

    /// <summary>Signed 32-bit integer (<see cref="int"/>).</summary>
    Int32 = 6,

    /// <summary>Signed 64-bit integer (<see cref="long"/>).</summary>
    Int64 = 7,

    /// <summary>UTF-8 string (not supported over managed memory).</summary>
    String = 8,

    /// <summary>Boolean stored as one byte, 0 or 1 (<see cref="bool"/>).</summary>
    Bool = 9,

    /// <summary>16-bit IEEE float (<see cref="Half"/>).</summary>
    Float16 = 10,

    /// <summary>64-bit IEEE float (<see cref="double"/>).</summary>
    Double = 11,

    /// <summary>Unsigned 32-bit integer (<see cref="uint"/>).</summary>
    UInt32 = 12,

    /// <summary>Unsigned 64-bit integer (<see cref="ulong"/>).</summary>
    UInt64 = 13,

    /// <summary>Complex number of two 32-bit floats.</summary>
    Complex64 = 14,

    /// <summary>Complex number of two 64-bit floats.</summary>
    Complex128 = 15,

    /// <summary>Brain floating point, 16 bits.</summary>
    BFloat16 = 16,
}
#pragma warning restore CA1720
