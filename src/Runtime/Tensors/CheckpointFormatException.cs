namespace SpeechServe.Runtime.Tensors;

/// <summary>
/// A checkpoint or adapter file broke a rule of its format. The message names the tensor
/// (when one is concerned) and the rule, e.g.
/// <c>tensor 'ctc.bias': byte-length: F32 [29] needs 116 bytes, data_offsets span 112</c>.
/// </summary>
public sealed class CheckpointFormatException : Exception
{
    /// <summary>Creates an exception for a broken <paramref name="rule"/>.</summary>
    /// <param name="rule">One of <see cref="CheckpointFormatRules"/>.</param>
    /// <param name="tensorName">The tensor concerned, or null for file-level rules.</param>
    /// <param name="detail">What was found, in words.</param>
    public CheckpointFormatException(string rule, string? tensorName, string detail)
        : base(tensorName is null ? $"{rule}: {detail}" : $"tensor '{tensorName}': {rule}: {detail}")
    {
        Rule = rule;
        TensorName = tensorName;
    }

    /// <summary>Creates an exception with a free-form message (rule unknown).</summary>
    public CheckpointFormatException()
        : this("format", null, "invalid checkpoint")
    {
    }

    /// <summary>Creates an exception with a free-form message (rule unknown).</summary>
    public CheckpointFormatException(string message)
        : base(message)
    {
        Rule = "format";
    }

    /// <summary>Creates an exception with a free-form message and cause (rule unknown).</summary>
    public CheckpointFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Rule = "format";
    }

    /// <summary>Creates an exception for a broken rule, keeping the underlying cause.</summary>
    public CheckpointFormatException(string rule, string? tensorName, string detail, Exception innerException)
        : base(tensorName is null ? $"{rule}: {detail}" : $"tensor '{tensorName}': {rule}: {detail}", innerException)
    {
        Rule = rule;
        TensorName = tensorName;
    }

    /// <summary>The rule that failed, one of <see cref="CheckpointFormatRules"/>.</summary>
    public string Rule { get; }

    /// <summary>The tensor concerned, or null when the failure is file-level.</summary>
    public string? TensorName { get; }
}
