namespace SpeechServe.Runtime.Tensors;

/// <summary>
/// Element types a checkpoint tensor may hold. The set is the intersection of what
/// TorchSharp's <c>Module.save</c> and safetensors can both express for our models.
/// </summary>
#pragma warning disable CA1720 // The member names are PyTorch's dtype names, which are type names by nature.
public enum TensorDType
{
    /// <summary>Unsigned 8-bit integer (safetensors <c>U8</c>, TorchSharp <c>Byte</c>).</summary>
    UInt8,

    /// <summary>Signed 8-bit integer (<c>I8</c>, <c>Int8</c>).</summary>
    Int8,

    /// <summary>Signed 16-bit integer (<c>I16</c>, <c>Int16</c>).</summary>
    Int16,

    /// <summary>Signed 32-bit integer (<c>I32</c>, <c>Int32</c>).</summary>
    Int32,

    /// <summary>Signed 64-bit integer (<c>I64</c>, <c>Int64</c>).</summary>
    Int64,

    /// <summary>IEEE 754 binary16 (<c>F16</c>, <c>Float16</c>).</summary>
    Float16,

    /// <summary>IEEE 754 binary32 (<c>F32</c>, <c>Float32</c>).</summary>
    Float32,

    /// <summary>IEEE 754 binary64 (<c>F64</c>, <c>Float64</c>).</summary>
    Float64,

    /// <summary>One byte per element, 0 or 1 (<c>BOOL</c>, <c>Bool</c>).</summary>
    Bool,

    /// <summary>bfloat16: the upper 16 bits of a binary32 (<c>BF16</c>, <c>BFloat16</c>).</summary>
    BFloat16,
}
#pragma warning restore CA1720
