using System.Globalization;
using System.Text.RegularExpressions;
using SpeechServe.Runtime.Decoding;
using SpeechServe.Serving.AudioApi;
using SpeechServe.Serving.Models;

namespace SpeechServe.Serving.Transcription;

/// <summary>
/// The words a request asks the lexicon search to favour (docs/decoding.md, "Hotwords"): the <c>hotwords</c> field
/// (sherpa-onnx's and speaches' name: phrases separated by new lines or commas, each optionally followed by
/// sherpa-onnx's <c>:score</c>) and the words of OpenAI's <c>prompt</c>.
/// </summary>
/// <param name="Entries">The <c>hotwords</c> phrases with their scores (null: the default).</param>
/// <param name="PromptWords">The prompt's distinct words, in lower case.</param>
public sealed partial record HotwordRequest(IReadOnlyList<(string Phrase, double? Score)> Entries, IReadOnlyList<string> PromptWords)
{
    // A prompt word is boosted only when the language model finds it rarer than this (natural log of 10^-3):
    // boosting the prompt's common words ("this", "about") made the control sentences of bench/hotwords.sh worse.
    private static readonly double CommonWordLogProbability = -3 * Math.Log(10);

    /// <summary>The most phrases one request may give.</summary>
    public const int MaxEntries = 100;

    /// <summary>The largest score a phrase may ask for.</summary>
    public const double MaxScore = 50;

    /// <summary>No hotwords.</summary>
    public static HotwordRequest None { get; } = new([], []);

    /// <summary>The phrases of a <c>hotwords</c> field and the words of a <c>prompt</c>, or the error that refuses the field.</summary>
    public static (HotwordRequest? Request, FormFieldError? Error) Parse(string? hotwords, string? prompt)
    {
        var entries = new List<(string Phrase, double? Score)>();
        foreach (var item in (hotwords ?? string.Empty).Split(['\n', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = ScoredPhrase().Match(item);
            double? score = null;
            if (match.Groups["score"].Success)
            {
                if (!double.TryParse(match.Groups["score"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !(value > 0 && value <= MaxScore))
                {
                    return (null, Invalid($"The score of hotword '{item}' must be a number above 0 and at most {MaxScore}, written as 'phrase :2.5'."));
                }

                score = value;
            }

            var phrase = match.Groups["phrase"].Value.Trim();
            if (phrase.Length > 0)
            {
                entries.Add((phrase, score));
            }
        }

        if (entries.Count > MaxEntries)
        {
            return (null, Invalid($"At most {MaxEntries} hotwords are applied; this request has {entries.Count}."));
        }

        return (new HotwordRequest(entries, FromPrompt(prompt).PromptWords), null);
    }

    /// <summary>The first <see cref="MaxEntries"/> distinct words of an OpenAI <c>prompt</c>.</summary>
    public static HotwordRequest FromPrompt(string? prompt) => new([], Words(prompt).Take(MaxEntries).ToList());

    /// <summary>
    /// The boosts for the selected model's lexicon search: the phrases, and the prompt's words the language model
    /// finds rare, at <paramref name="defaultScore"/> unless a phrase gives its own; null when the model has no
    /// lexicon search or there is nothing to boost.
    /// </summary>
    public HotwordBoosts? Boosts(ModelSelection selection, double defaultScore)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var model = selection.Served.Model;
        if (model.LexiconSearch is not { } search)
        {
            return null;
        }

        var words = search.LanguageModel.LanguageModel;
        var rarePromptWords = PromptWords.Where(w => words.TryGetWordId(w, out var id) && words.LogProbability([], id) < CommonWordLogProbability);
        var hotwords = Entries.Select(e => new Hotword(e.Phrase, e.Score ?? defaultScore))
            .Concat(rarePromptWords.Select(w => new Hotword(w, defaultScore)))
            .ToList();
        return hotwords.Count == 0 ? null : HotwordBoosts.Build(search.LanguageModel, model.Vocabulary, hotwords);
    }

    private static IEnumerable<string> Words(string? prompt) =>
        prompt is null ? [] : Word().Matches(prompt).Select(m => m.Value.ToLowerInvariant()).Distinct(StringComparer.Ordinal);

    private static FormFieldError Invalid(string message) => new("hotwords", "invalid_hotwords", message);

    [GeneratedRegex(@"^(?<phrase>.*?)(\s*:\s*(?<score>\S+))?$")]
    private static partial Regex ScoredPhrase();

    [GeneratedRegex(@"\p{L}[\p{L}']*")]
    private static partial Regex Word();
}
