using SpeechServe.Runtime.Onnx;

namespace SpeechServe.Serving.Models;

/// <summary>How the API names an execution provider: the configuration's own words, <c>cpu</c> and <c>cuda</c>.</summary>
public static class ExecutionProviderNames
{
    /// <summary>The name of <paramref name="provider"/>.</summary>
    public static string Of(OnnxExecutionProvider provider) => provider switch
    {
        OnnxExecutionProvider.Cuda => "cuda",
        _ => "cpu",
    };
}
