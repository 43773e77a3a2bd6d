namespace SpeechServe.Serving.Tests.Translation;

/// <summary>
/// A sentence of the translation grammar's test split (training/data/translation_grammar.py, seed of the shipped
/// corpus), held out from the shipped translation adapters' training, in its three languages.
/// </summary>
internal sealed record TranslationSentence(string English, string German, string Spanish)
{
    public static IReadOnlyList<TranslationSentence> HeldOut { get; } =
    [
        new("the woman wants to carry my window in the morning", "die frau will morgens mein fenster tragen", "la mujer quiere llevar mi ventana por la mañana"),
        new("the brother can play in the city", "der bruder kann in der stadt spielen", "el hermano puede jugar en la ciudad"),
        new("tomorrow i want to call a horse in the park", "morgen will ich ein pferd im park rufen", "mañana quiero llamar a un caballo en el parque"),
        new("a teacher can have a mouse", "ein lehrer kann eine maus haben", "un profesor puede tener un ratón"),
    ];

    /// <summary>The source sentence in <paramref name="language"/> (<c>de</c> or <c>es</c>), which is also its espeak-ng voice.</summary>
    public string Source(string language) => language switch
    {
        "de" => German,
        "es" => Spanish,
        _ => throw new ArgumentOutOfRangeException(nameof(language), language, "de or es"),
    };
}
