using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using SpeechServe.Runtime.Audio;
using SpeechServe.Runtime.Decoding;
using SpeechServe.Runtime.Features;
using SpeechServe.Runtime.Recognition;
using SpeechServe.Runtime.Streaming;
using SpeechServe.Serving.AudioApi;
using SpeechServe.Serving.Models;
using SpeechServe.Serving.Streaming;

namespace SpeechServe.Serving.Transcription;

/// <summary>Transcription: the base models and recognition adapters, their CTC recognizer, the transcript in each format.</summary>
public sealed class TranscriptionTask(StreamingRecognizers recognizers, IOptions<ServingOptions> options) : AudioTask<TranscriptionForm, Transcript>
{
    /// <inheritdoc />
    public override SpeechTask Task => SpeechTask.Transcription;

    /// <inheritdoc />
    public override FormParseResult<TranscriptionForm> Parse(IFormCollection form) => TranscriptionForm.Parse(form);

    /// <summary>Refuses a <c>language</c> the model does not recognise: its text would be wrong, not translated.</summary>
    public override FormFieldError? Check(TranscriptionForm form, ModelSelection selection)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(selection);
        return form.Language is { } language && !selection.Serves(language)
            ? new FormFieldError("language", "unsupported_language",
                $"The model '{selection.Id}' recognises '{selection.Language}' speech, not '{language}': send language={selection.Language} or leave it out, or pick a model for that language from GET /v1/models.")
            : null;
    }

    /// <summary>Audio up to <see cref="ServingOptions.LongAudioSeconds"/> is decoded whole; longer audio is recognised as it is decoded.</summary>
    public override double? ReadAheadSeconds => options.Value.LongAudioSeconds;

    /// <summary>
    /// The batched offline recognizer, which fills <paramref name="timings"/>, or for audio longer than
    /// <see cref="ServingOptions.LongAudioSeconds"/>, the segments of the streaming recognizer, fed as the audio is decoded
    /// (its encoder runs count once, as this request, in the breaker; its stages interleave and are not measured).
    /// </summary>
    public override Task<Transcript> RunAsync(
        ModelSelection selection, TranscriptionForm form, ReadAheadAudio audio, RecognitionTimings? timings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(audio);
        if (audio.IsComplete)
        {
            return selection.Served.Recognizer.TranscribeAsync(audio.Samples, selection.Weights, Boosts(form, selection), timings, cancellationToken);
        }

        var session = recognizers.For(selection.Served).Open(selection.Weights, LogMelSpec.SampleRate, hotwords: Boosts(form, selection));
        return System.Threading.Tasks.Task.Run(
            () => SegmentedTranscription.TranscribeAsync(session, audio.Reader, selection.Served.Model.Vocabulary, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// The upload through the streaming recognizer (docs/streaming.md): segments cut at pauses by its endpointing,
    /// each one's text as soon as its endpoint is decoded, every encoder run through the model's breaker; long audio
    /// is decoded as it is recognised.
    /// </summary>
    public override async IAsyncEnumerable<string> StreamTextAsync(
        ModelSelection selection, TranscriptionForm form, ReadAheadAudio audio, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(audio);
        var session = recognizers.For(selection.Served).Open(selection.Weights, LogMelSpec.SampleRate, selection.Served.Breaker, Boosts(form, selection));
        await foreach (var final in SegmentedTranscription.FinalsAsync(session, audio.Reader, cancellationToken).ConfigureAwait(false))
        {
            yield return final.Text;

            // The encoder runs synchronously: let the event go out before the next segment is decoded.
            await System.Threading.Tasks.Task.Yield();
        }
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

    private HotwordBoosts? Boosts(TranscriptionForm form, ModelSelection selection) => form.Hotwords.Boosts(selection, options.Value.HotwordScore);

    private static AudioVerboseJson VerboseJson(Transcript transcript, TranscriptionForm form, ModelSelection selection, double duration)
    {
        var segments = transcript.Segments
            .Select(s => new VerboseSegment(s.Id, 0, s.Start, s.End, s.Text, [], form.Temperature, s.AverageLogProbability, 0, s.NoSpeechProbability))
            .ToList();
        var words = form.WordTimestamps ? transcript.Words.Select(w => new VerboseWord(w.Text, w.Start, w.End)).ToList() : null;
        return AudioVerboseJson.Create("transcribe", form.Language ?? "english", duration, transcript.Text, segments, words, selection);
    }
}
