using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using SpeechServe.Runtime.Audio;
using SpeechServe.Runtime.Decoding;
using SpeechServe.Runtime.Recognition;
using SpeechServe.Runtime.Translation;
using SpeechServe.Serving.AudioApi;
using SpeechServe.Serving.Models;

namespace SpeechServe.Serving.Translation;

/// <summary>
/// Translation: the translation adapters, their attention decoder, the English text in each format. The decoder
/// has no alignment, so subtitles and <c>verbose_json</c> have one segment over the whole audio.
/// </summary>
public sealed class TranslationTask(IOptions<ServingOptions> options) : AudioTask<TranslationForm, TranslationResult>
{
    /// <inheritdoc />
    public override SpeechTask Task => SpeechTask.Translation;

    /// <inheritdoc />
    public override FormParseResult<TranslationForm> Parse(IFormCollection form) => TranslationForm.Parse(form);

    /// <summary>
    /// The attention decoder translates the whole audio at once: it is decoded whole first (<see cref="AudioTask{TForm, TResult}.ReadAheadSeconds"/>
    /// is null). Its batches run the encoder and the decoders together, so <paramref name="timings"/> stays empty.
    /// </summary>
    public override Task<TranslationResult> RunAsync(
        ModelSelection selection, TranslationForm form, ReadAheadAudio audio, RecognitionTimings? timings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(audio);
        var defaults = options.Value.Translation;
        var decoding = new TranslationDecodingOptions
        {
            // Sampling decodes one hypothesis, so a temperature without beam_width samples rather than taking the default beam.
            BeamWidth = form.BeamWidth ?? (form.Temperature > 0 ? 1 : defaults.BeamWidth),
            LengthPenalty = form.LengthPenalty ?? defaults.LengthPenalty,
            MaxTokens = form.MaxTokens ?? defaults.MaxTokens,
            Temperature = form.Temperature,
        };
        return selection.Served.Translator.TranslateAsync(audio.Samples, selection.Weights, decoding, cancellationToken);
    }

    /// <summary>The translation as one segment: the decoder has no alignment to cut it by.</summary>
    public override async IAsyncEnumerable<string> StreamTextAsync(
        ModelSelection selection, TranslationForm form, ReadAheadAudio audio, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var result = await selection.Served.Breaker.ExecuteAsync(token => RunAsync(selection, form, audio, timings: null, token), cancellationToken).ConfigureAwait(false);
        yield return result.Text;
    }

    /// <inheritdoc />
    public override IResult Respond(TranslationResult result, TranslationForm form, ModelSelection selection, double duration)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(form);
        TimedSegment[] segments = result.Text.Length == 0 ? [] : [new TimedSegment(0, result.Text, 0, duration, [])];
        return form.ResponseFormat switch
        {
            ResponseFormat.Text => TypedResults.Text(result.Text + "\n", "text/plain; charset=utf-8"),
            ResponseFormat.Srt => TypedResults.Text(SubtitleFormats.ToSrt(segments), "text/plain; charset=utf-8"),
            ResponseFormat.Vtt => TypedResults.Text(SubtitleFormats.ToVtt(segments), "text/vtt; charset=utf-8"),
            ResponseFormat.VerboseJson => TypedResults.Ok(AudioVerboseJson.Create(
                "translate",
                "english",
                duration,
                result.Text,
                segments.Select(s => new VerboseSegment(s.Id, 0, s.Start, s.End, s.Text, result.TokenIds, form.Temperature, 0, 0, 0)).ToList(),
                null,
                selection)),
            _ => TypedResults.Ok(new AudioTextJson(result.Text)),
        };
    }
}
