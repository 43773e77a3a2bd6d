using SpeechServe.Serving.OpenAi;

namespace SpeechServe.Serving.Resilience;

/// <summary>
/// The 500 answered to a recognition request whose encoder or decoder run failed in ONNX Runtime. The ONNX
/// Runtime message goes to the server log (<see cref="InferenceCircuitBreaker"/>), not to the client.
/// </summary>
public static class InferenceFailed
{
    /// <summary>The error code, on REST and on streams.</summary>
    public const string Code = "inference_failed";

    /// <summary>The OpenAI-style error body.</summary>
    public static IResult Create(string modelId) => OpenAiErrors.Create(StatusCodes.Status500InternalServerError, Message(modelId), null, Code);

    /// <summary>The error message: the run failed, the server logged why.</summary>
    public static string Message(string modelId) =>
        $"The encoder or decoder of '{modelId}' failed on this request (the server logged why). Retry later; repeated failures pause inference with 503.";
}
