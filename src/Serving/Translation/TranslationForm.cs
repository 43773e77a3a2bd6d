using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using SpeechServe.Serving.AudioApi;

namespace SpeechServe.Serving.Translation;

/// <summary>
/// The multipart fields of a translation request, parsed and checked: OpenAI's fields plus the decoding
/// extensions <c>beam_width</c>, <c>length_penalty</c> and <c>max_tokens</c> (null when not sent).
/// </summary>
public sealed record TranslationForm : AudioForm
{
    [SetsRequiredMembers]
    private TranslationForm(AudioForm fields)
        : base(fields)
    {
    }

    /// <summary>Beam width, 1 to <see cref="TranslationDefaults.MaxBeamWidth"/>.</summary>
    public int? BeamWidth { get; init; }

    /// <summary>Length penalty, 0 to <see cref="TranslationDefaults.MaxLengthPenalty"/>.</summary>
    public double? LengthPenalty { get; init; }

    /// <summary>The most tokens to generate, at least 1.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Reads and checks the form; the error names the field and says what is accepted.</summary>
    public static FormParseResult<TranslationForm> Parse(IFormCollection form)
    {
        var shared = ParseSharedFields(form);
        if (shared.Form is not { } fields)
        {
            return shared.FailAs<TranslationForm>();
        }

        var beamText = form["beam_width"].ToString();
        int? beamWidth = null;
        if (beamText.Length > 0)
        {
            if (!TryParseCount(beamText, TranslationDefaults.MaxBeamWidth, out var beam))
            {
                return FormParseResult.Fail<TranslationForm>("beam_width", "invalid_beam_width",
                    $"beam_width '{beamText}' must be a whole number from 1 to {TranslationDefaults.MaxBeamWidth}.");
            }

            if (beam > 1 && fields.Temperature > 0)
            {
                return FormParseResult.Fail<TranslationForm>("beam_width", "invalid_beam_width",
                    "Sampling (temperature above 0) decodes a single hypothesis: send beam_width 1 or leave it out, or set temperature to 0 for beam search.");
            }

            beamWidth = beam;
        }

        var penaltyText = form["length_penalty"].ToString();
        double? lengthPenalty = null;
        if (penaltyText.Length > 0)
        {
            if (!TryParseNumber(penaltyText, 0, TranslationDefaults.MaxLengthPenalty, out var penalty))
            {
                return FormParseResult.Fail<TranslationForm>("length_penalty", "invalid_length_penalty",
                    $"length_penalty '{penaltyText}' must be a number from 0 to {TranslationDefaults.MaxLengthPenalty.ToString(CultureInfo.InvariantCulture)}.");
            }

            lengthPenalty = penalty;
        }

        var tokensText = form["max_tokens"].ToString();
        int? maxTokens = null;
        if (tokensText.Length > 0)
        {
            if (!TryParseCount(tokensText, int.MaxValue, out var tokens))
            {
                return FormParseResult.Fail<TranslationForm>("max_tokens", "invalid_max_tokens", $"max_tokens '{tokensText}' must be a whole number of at least 1.");
            }

            maxTokens = tokens;
        }

        return new FormParseResult<TranslationForm>(
            new TranslationForm(fields) { BeamWidth = beamWidth, LengthPenalty = lengthPenalty, MaxTokens = maxTokens },
            null);
    }

    private static bool TryParseCount(string text, int max, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 1 && value <= max;
}
