using SpeechServe.Runtime.Decoding;
using SpeechServe.Serving.AudioApi;
using SpeechServe.Serving.Models;

namespace SpeechServe.Serving.Transcription;

/// <summary>Transcription: the base models and recognition adapters, their CTC recognizer, the transcript in each format.</summary>
public sealed class TranscriptionTask : AudioTask<TranscriptionForm, Transcript>
{
    /// <inheritdoc />
    public override SpeechTask Task => SpeechTask.Transcription;

    /// <inheritdoc />
    public override FormParseResult<TranscriptionForm> Parse(IFormCollection form) => TranscriptionForm.Parse(form);

    /// <inheritdoc />
    public override Task<Transcript> RunAsync(ModelSelection selection, TranscriptionForm form, float[] samples, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selection);
        return selection.Served.Recognizer.TranscribeAsync(samples, selection.Weights, cancellationToken);
    }

    /// <inheritdoc />
    public override IResult Respond(Transcript result, TranscriptionForm form, ModelSelection selection, double duration)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(form);
        return form.ResponseFormat switch
        {
            ResponseFormat.Text => TypedResults.Text(result.Text + "\n", "text/plain; charset=utf-8"),
            ResponseFormat.Srt => TypedResults.Text(SubtitleFormats.ToSrt(result.Segments), "text/plain; charset=utf-8"),
            ResponseFormat.Vtt => TypedResults.Text(SubtitleFormats.ToVtt(result.Segments), "text/vtt; charset=utf-8"),
            ResponseFormat.VerboseJson => TypedResults.Ok(VerboseJson(result, form, selection, duration)),
            _ => TypedResults.Ok(new AudioTextJson(result.Text)),
        };
    }

    private static AudioVerboseJson VerboseJson(Transcript transcript, TranscriptionForm form, ModelSelection selection, double duration)
    {
        var segments = transcript.Segments
            .Select(s => new VerboseSegment(s.Id, 0, s.Start, s.End, s.Text, [], form.Temperature, 0, 0, 0))
            .ToList();
        var words = form.WordTimestamps ? transcript.Words.Select(w => new VerboseWord(w.Text, w.Start, w.End)).ToList() : null;
        return AudioVerboseJson.Create("transcribe", form.Language ?? "english", duration, transcript.Text, segments, words, selection);
    }
}
