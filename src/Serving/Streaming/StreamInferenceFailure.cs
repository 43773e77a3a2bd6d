using System.Net.WebSockets;
using Polly.CircuitBreaker;
using Microsoft.ML.OnnxRuntime;
using SpeechServe.Serving.Models;
using SpeechServe.Serving.Resilience;

namespace SpeechServe.Serving.Streaming;

/// <summary>
/// How a stream ends when one of its encoder runs fails in ONNX Runtime (<c>inference_failed</c>, 1011) or
/// is refused by the model's open inference breaker (<c>inference_unavailable</c>, 1013): the codes REST
/// answers with 500 and 503.
/// </summary>
internal static class StreamInferenceFailure
{
    /// <summary>The failure for <paramref name="exception"/>, or null when it is neither.</summary>
    public static StreamFailure? From(Exception exception, ServedModel served) => exception switch
    {
        OnnxRuntimeException => new StreamFailure(
            InferenceFailed.Code,
            WebSocketCloseStatus.InternalServerError,
            $"The encoder of '{served.Model.Id}' failed on this stream (the server logged why); the results before it were sent. Retry later; repeated failures pause inference."),
        BrokenCircuitException broken => new StreamFailure(
            InferenceUnavailable.Code,
            StreamCloseCodes.TryAgainLater,
            InferenceUnavailable.Message(served.Model.Id, served.Breaker.RetryAfter ?? broken.RetryAfter ?? TimeSpan.FromSeconds(1))),
        _ => null,
    };
}
