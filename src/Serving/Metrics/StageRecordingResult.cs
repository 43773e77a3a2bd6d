using System.Diagnostics;

namespace SpeechServe.Serving.Metrics;

/// <summary>
/// The response of a successful offline transcription that, once written, records the request's
/// <see cref="TranscriptionStages"/> with the writing as the <c>response</c> stage.
/// </summary>
internal sealed class StageRecordingResult(IResult response, ServingMetrics metrics, string model, TranscriptionStages stages) : IResult
{
    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var started = Stopwatch.GetTimestamp();
        await response.ExecuteAsync(httpContext).ConfigureAwait(false);
        metrics.RecordStages(model, stages, Stopwatch.GetElapsedTime(started));
    }
}
