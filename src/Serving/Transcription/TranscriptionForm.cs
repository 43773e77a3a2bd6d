using System.Diagnostics.CodeAnalysis;
using SpeechServe.Serving.AudioApi;

namespace SpeechServe.Serving.Transcription;

/// <summary>The multipart fields of a transcription request, parsed and checked.</summary>
public sealed record TranscriptionForm : AudioForm
{
    [SetsRequiredMembers]
    private TranscriptionForm(AudioForm fields)
        : base(fields)
    {
    }

    /// <summary>ISO-639-1 language of the audio, if the client gave one.</summary>
    public string? Language { get; init; }

    /// <summary>Whether <c>timestamp_granularities[]</c> asked for word timestamps.</summary>
    public bool WordTimestamps { get; init; }

    /// <summary>The words to favour: the <c>hotwords</c> field and the words of the <c>prompt</c>.</summary>
    public HotwordRequest Hotwords { get; init; } = HotwordRequest.None;

    /// <summary>Reads and checks the form; the error names the field and says what is accepted.</summary>
    public static FormParseResult<TranscriptionForm> Parse(IFormCollection form)
    {
        var shared = ParseSharedFields(form);
        if (shared.Form is not { } fields)
        {
            return shared.FailAs<TranscriptionForm>();
        }

        var wordTimestamps = false;
        foreach (var granularity in form["timestamp_granularities[]"].Concat(form["timestamp_granularities"]))
        {
            switch (granularity)
            {
                case "word":
                    wordTimestamps = true;
                    break;
                case "segment":
                    break;
                default:
                    return FormParseResult.Fail<TranscriptionForm>("timestamp_granularities[]", "invalid_timestamp_granularity",
                        $"timestamp_granularities[] value '{granularity}' is not supported; use segment or word.");
            }
        }

        if (wordTimestamps && fields.ResponseFormat != ResponseFormat.VerboseJson)
        {
            return FormParseResult.Fail<TranscriptionForm>("timestamp_granularities[]", "invalid_timestamp_granularity",
                "Word timestamps need response_format verbose_json.");
        }

        var (hotwords, hotwordError) = HotwordRequest.Parse(form["hotwords"].ToString(), fields.Prompt);
        if (hotwordError is not null)
        {
            return new FormParseResult<TranscriptionForm>(null, hotwordError);
        }

        var language = form["language"].ToString();
        return new FormParseResult<TranscriptionForm>(
            new TranscriptionForm(fields) { Language = language.Length == 0 ? null : language, WordTimestamps = wordTimestamps, Hotwords = hotwords! },
            null);
    }
}
