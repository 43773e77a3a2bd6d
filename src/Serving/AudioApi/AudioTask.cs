using SpeechServe.Runtime.Audio;
using SpeechServe.Runtime.Recognition;
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

    /// <summary>
    /// How much audio is decoded before the model runs, in seconds: audio that ends within it reaches
    /// <see cref="RunAsync"/> and <see cref="StreamTextAsync"/> whole (<see cref="ReadAheadAudio.IsComplete"/>), longer
    /// audio still being decoded, to be read through <see cref="ReadAheadAudio.Reader"/>. Null, the default: the task
    /// needs all of the audio, which is always decoded first.
    /// </summary>
    public virtual double? ReadAheadSeconds => null;

    /// <summary>
    /// Runs the model on the audio (16 kHz mono). A decoding problem met while it reads the rest of long audio is an
    /// <see cref="Runtime.Audio.AudioFormatException"/>. A task whose recognizer measures its stages adds them to
    /// <paramref name="timings"/> when given; others leave it empty.
    /// </summary>
    public abstract Task<TResult> RunAsync(ModelSelection selection, TForm form, ReadAheadAudio audio, RecognitionTimings? timings, CancellationToken cancellationToken);

    /// <summary>
    /// Runs the model on the audio for <c>stream=true</c>, through the model's inference breaker: the text of each
    /// segment as soon as it is decoded.
    /// </summary>
    public abstract IAsyncEnumerable<string> StreamTextAsync(ModelSelection selection, TForm form, ReadAheadAudio audio, CancellationToken cancellationToken);

    /// <summary>The response in the form's <see cref="AudioForm.ResponseFormat"/>.</summary>
    public abstract IResult Respond(TResult result, TForm form, ModelSelection selection, double duration);
}
