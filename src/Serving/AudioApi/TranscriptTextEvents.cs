using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Polly.CircuitBreaker;
using SpeechServe.Runtime.Audio;
using SpeechServe.Runtime.Batching;
using SpeechServe.Serving.Models;
using SpeechServe.Serving.OpenAi;
using SpeechServe.Serving.Resilience;

namespace SpeechServe.Serving.AudioApi;

/// <summary>
/// The response of <c>stream=true</c>: server-sent events as OpenAI sends them, one
/// <c>transcript.text.delta</c> per decoded segment (the deltas concatenate to the text), then
/// <c>transcript.text.done</c>. The status is 200 once the first event is written, so an inference failure after
/// that, or a problem in the rest of long audio, decoded as it is recognised, is an <c>error</c> event with OpenAI's
/// error object, which the OpenAI clients raise as an API error.
/// </summary>
internal static class TranscriptTextEvents
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Writes the events for <paramref name="segments"/>, decoded on <paramref name="served"/>.</summary>
    public static Task WriteAsync(HttpContext context, IAsyncEnumerable<string> segments, ServedModel served, CancellationToken cancellationToken) =>
        TypedResults.ServerSentEvents(Events(segments, served, cancellationToken)).ExecuteAsync(context);

    private static async IAsyncEnumerable<string> Events(IAsyncEnumerable<string> segments, ServedModel served, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var enumerator = segments.GetAsyncEnumerator(cancellationToken);
        await using (enumerator.ConfigureAwait(false))
        {
            while (true)
            {
                bool more;
                OpenAiError? failure = null;
                try
                {
                    more = await enumerator.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (Failure(ex, served) is { } error)
                {
                    (more, failure) = (false, error);
                }

                if (failure is not null)
                {
                    yield return JsonSerializer.Serialize(new ErrorEvent(failure), Json);
                    yield break;
                }

                if (!more)
                {
                    break;
                }

                if (enumerator.Current.Length == 0)
                {
                    continue;
                }

                var delta = text.Length == 0 ? enumerator.Current : " " + enumerator.Current;
                text.Append(delta);
                yield return JsonSerializer.Serialize(new DeltaEvent(delta), Json);
            }
        }

        yield return JsonSerializer.Serialize(new DoneEvent(text.ToString()), Json);
    }

    private static OpenAiError? Failure(Exception exception, ServedModel served) => exception switch
    {
        OnnxRuntimeException => new OpenAiError(InferenceFailed.Message(served.Model.Id), OpenAiErrors.ServerError, null, InferenceFailed.Code),
        BrokenCircuitException broken => new OpenAiError(
            InferenceUnavailable.Message(served.Model.Id, served.Breaker.RetryAfter ?? broken.RetryAfter ?? TimeSpan.FromSeconds(1)),
            OpenAiErrors.ServerError,
            null,
            InferenceUnavailable.Code),
        BatchQueueFullException full => new OpenAiError(full.Message, OpenAiErrors.ServerError, null, "service_unavailable"),

        // Long audio is decoded while it is recognised: a problem in its rest is found after the first events.
        AudioFormatException audio => new OpenAiError(audio.Message, audio.ErrorCode == AudioErrorCode.DecoderCrashed ? OpenAiErrors.ServerError : OpenAiErrors.InvalidRequest, audio.Param, audio.Code),
        _ => null,
    };

    private sealed record DeltaEvent(string Delta, string Type = "transcript.text.delta");

    private sealed record DoneEvent(string Text, string Type = "transcript.text.done");

    private sealed record ErrorEvent(OpenAiError Error, string Type = "error");
}
