using System.Diagnostics.CodeAnalysis;

namespace SpeechServe.Export.Onnx;

/// <summary>
/// Tensor element types, numbered as ONNX's <c>TensorProto.DataType</c> so a value converts to the
/// wire number with a cast.
/// </summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The members are ONNX's own element type names.")]
public enum ElementType
{
    /// <summary>32-bit IEEE 754 float.</summary>
    Float = 1,

    /// <summary>Unsigned 8-bit integer.</summary>
    UInt8 = 2,

    /// <summary>Signed 8-bit integer.</summary>
    Int8 = 3,

    /// <summary>Signed 16-bit integer.</summary>
    Int16 = 5,

    /// <summary>Signed 32-bit integer.</summary>
    Int32 = 6,

    /// <summary>Signed 64-bit integer; ONNX's type for shapes and indices.</summary>
    Int64 = 7,

    /// <summary>Boolean, one byte per element.</summary>
    Bool = 9,

    /// <summary>16-bit IEEE 754 half-precision float.</summary>
    Float16 = 10,

    /// <summary>64-bit IEEE 754 float.</summary>
    Double = 11,

    /// <summary>bfloat16: the upper 16 bits of a 32-bit float.</summary>
    BFloat16 = 16,
}
