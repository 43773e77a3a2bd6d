namespace SpeechServe.Runtime.Tensors;

/// <summary>Content checks shared by the checkpoint readers.</summary>
public static class TensorChecks
{
    /// <summary>Fails when a floating-point tensor holds NaN or infinity.</summary>
    /// <exception cref="CheckpointFormatException">Rule <see cref="CheckpointFormatRules.NonFinite"/>.</exception>
    public static void EnsureFinite(NamedTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var index = tensor.IndexOfNonFinite();
        if (index >= 0)
        {
            throw new CheckpointFormatException(
                CheckpointFormatRules.NonFinite, tensor.Name, $"element {index} is NaN or infinite");
        }
    }
}
