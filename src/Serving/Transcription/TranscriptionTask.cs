using System.Runtime.CompilerServices;
using SpeechServe.Runtime.Decoding;
using SpeechServe.Runtime.Features;
using SpeechServe.Runtime.Streaming;
using SpeechServe.Serving.AudioApi;
using SpeechServe.Serving.Models;
using SpeechServe.Serving.Streaming;

namespace SpeechServe.Serving.Transcription;

/// <summary>Transcription: the base models and recognition adapters, their CTC recognizer, the transcript in each format.</summary>
public sealed class TranscriptionTask(StreamingRecognizers recognizers) : AudioTask<TranscriptionForm, Transcript>
{
    // Audio fed to the streaming recognizer per call when streaming an upload: one second.
    private const int FeedSamples = LogMelSpec.SampleRate;

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

    /// <summary>
    /// The upload through the streaming recognizer (docs/streaming.md): segments cut at pauses by its endpointing,
    /// each one's text as soon as its endpoint is decoded, every encoder run through the model's breaker.
    /// </summary>
    public override async IAsyncEnumerable<string> StreamTextAsync(
        ModelSelection selection, TranscriptionForm form, float[] samples, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(samples);
        var session = recognizers.For(selection.Served).Open(selection.Weights, LogMelSpec.SampleRate, selection.Served.Breaker);
        for (var start = 0; start < samples.Length; start += FeedSamples)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var result in session.Accept(samples.AsSpan(start, Math.Min(FeedSamples, samples.Length - start))))
            {
                if (result.Kind == StreamingResultKind.Final)
                {
                    yield return result.Text;
                }
            }

            // The encoder runs synchronously: let the events written so far go out before the next second is decoded.
            await System.Threading.Tasks.Task.Yield();
        }

        foreach (var result in session.Finish().Where(r => r.Kind == StreamingResultKind.Final))
        {
            yield return result.Text;
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

    private static AudioVerboseJson VerboseJson(Transcript transcript, TranscriptionForm form, ModelSelection selection, double duration)
    {
        var segments = transcript.Segments
            .Select(s => new VerboseSegment(s.Id, 0, s.Start, s.End, s.Text, [], form.Temperature, 0, 0, 0))
            .ToList();
        var words = form.WordTimestamps ? transcript.Words.Select(w => new VerboseWord(w.Text, w.Start, w.End)).ToList() : null;
        return AudioVerboseJson.Create("transcribe", form.Language ?? "english", duration, transcript.Text, segments, words, selection);
    }
}
