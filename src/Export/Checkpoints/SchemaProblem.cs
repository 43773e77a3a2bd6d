namespace SpeechServe.Export.Checkpoints;

/// <summary>What kind of mismatch a <see cref="SchemaProblem"/> is.</summary>
public enum SchemaProblemKind
{
    /// <summary>An expected tensor is absent.</summary>
    Missing,

    /// <summary>The checkpoint holds a tensor the schema does not list.</summary>
    Unexpected,

    /// <summary>The tensor's shape differs from the expected one.</summary>
    Shape,

    /// <summary>The tensor's dtype differs from the expected one.</summary>
    DType,
}

/// <summary>One way a checkpoint differs from its schema, with a message for people.</summary>
/// <param name="Kind">The kind of mismatch.</param>
/// <param name="TensorName">The tensor concerned.</param>
/// <param name="Message">E.g. <c>tensor 'layers.3.attn.q.weight': expected shape [192,192], found [192,191]</c>.</param>
public sealed record SchemaProblem(SchemaProblemKind Kind, string TensorName, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => Message;
}
