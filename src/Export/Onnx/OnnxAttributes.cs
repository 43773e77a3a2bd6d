using System.Diagnostics.CodeAnalysis;
using Google.Protobuf;
using SpeechServe.Export.Onnx.Proto;
using AttributeType = SpeechServe.Export.Onnx.Proto.AttributeProto.Types.AttributeType;

namespace SpeechServe.Export.Onnx;

/// <summary>
/// Builds node attributes. Each factory sets the value field and the matching type discriminator,
/// as IR version 2 and later require.
/// </summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The factories are named after ONNX's attribute types.")]
public static class OnnxAttributes
{
    /// <summary>A 64-bit integer attribute.</summary>
    /// <param name="name">Attribute name, e.g. <c>"axis"</c>.</param>
    /// <param name="value">The value.</param>
    public static AttributeProto Int(string name, long value) =>
        Create(name, AttributeType.Int, a => a.I = value);

    /// <summary>A 32-bit float attribute.</summary>
    /// <param name="name">Attribute name, e.g. <c>"epsilon"</c>.</param>
    /// <param name="value">The value.</param>
    public static AttributeProto Float(string name, float value) =>
        Create(name, AttributeType.Float, a => a.F = value);

    /// <summary>A text attribute, stored as UTF-8.</summary>
    /// <param name="name">Attribute name, e.g. <c>"auto_pad"</c>.</param>
    /// <param name="value">The value.</param>
    public static AttributeProto String(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Create(name, AttributeType.String, a => a.S = ByteString.CopyFromUtf8(value));
    }

    /// <summary>A list-of-integers attribute.</summary>
    /// <param name="name">Attribute name, e.g. <c>"pads"</c>.</param>
    /// <param name="values">The values.</param>
    public static AttributeProto Ints(string name, params IEnumerable<long> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Create(name, AttributeType.Ints, a => a.Ints.AddRange(values));
    }

    /// <summary>A list-of-floats attribute.</summary>
    /// <param name="name">Attribute name, e.g. <c>"value_floats"</c>.</param>
    /// <param name="values">The values.</param>
    public static AttributeProto Floats(string name, params IEnumerable<float> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Create(name, AttributeType.Floats, a => a.Floats.AddRange(values));
    }

    /// <summary>A list-of-strings attribute, each stored as UTF-8.</summary>
    /// <param name="name">Attribute name.</param>
    /// <param name="values">The values.</param>
    public static AttributeProto Strings(string name, params IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Create(name, AttributeType.Strings, a => a.Strings.AddRange(values.Select(ByteString.CopyFromUtf8)));
    }

    /// <summary>A tensor attribute, e.g. the <c>value</c> of <c>Constant</c> or <c>ConstantOfShape</c>.</summary>
    /// <param name="name">Attribute name.</param>
    /// <param name="value">The tensor; see <see cref="TensorProtos"/>. It is copied.</param>
    public static AttributeProto Tensor(string name, TensorProto value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Create(name, AttributeType.Tensor, a => a.T = value.Clone());
    }

    private static AttributeProto Create(string name, AttributeType type, Action<AttributeProto> setValue)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var attribute = new AttributeProto { Name = name, Type = type };
        setValue(attribute);
        return attribute;
    }
}
