using SpeechServe.Runtime.Onnx;

namespace SpeechServe.Serving;

/// <summary>Settings of one model (<c>Serving:Models:ID</c>), overriding the server-wide ones.</summary>
public sealed class ModelServingOptions
{
    /// <summary>The model's execution provider; <see cref="ServingOptions.ExecutionProvider"/> when null.</summary>
    public OnnxExecutionProvider? ExecutionProvider { get; set; }
}
