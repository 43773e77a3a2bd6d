using SpeechServe.Serving.Models;

namespace SpeechServe.Serving.AudioApi;

/// <summary>
/// What one <c>/v1/audio</c> REST endpoint does that the others do not: its fields, the models it serves, the
/// inference it runs and its response. <see cref="AudioRequestPipeline"/> runs the steps they share.
/// </summary>
/// <typeparam name="TForm">The endpoint's form.</typeparam>
/// <typeparam name="TResult">What its inference returns.</typeparam>
public abstract class AudioTask<TForm, TResult>
    where TForm : AudioForm
{
    /// <summary>The task of the models this endpoint accepts.</summary>
    public abstract SpeechTask Task { get; }

    /// <summary>Reads and checks the endpoint's fields.</summary>
    public abstract FormParseResult<TForm> Parse(IFormCollection form);

    /// <summary>A check of the form against the selected model, before any audio is decoded; null when it passes.</summary>
    public virtual FormFieldError? Check(TForm form, ModelSelection selection) => null;

    /// <summary>Runs the model on the samples (16 kHz mono).</summary>
    public abstract Task<TResult> RunAsync(ModelSelection selection, TForm form, float[] samples, CancellationToken cancellationToken);

    /// <summary>
    /// Runs the model on the samples for <c>stream=true</c>, through the model's inference breaker: the text of each
    /// segment as soon as it is decoded.
    /// </summary>
    public abstract IAsyncEnumerable<string> StreamTextAsync(ModelSelection selection, TForm form, float[] samples, CancellationToken cancellationToken);

    /// <summary>The response in the form's <see cref="AudioForm.ResponseFormat"/>.</summary>
    public abstract IResult Respond(TResult result, TForm form, ModelSelection selection, double duration);
}
