namespace SpeechServe.Runtime.Translation;

/// <summary>
/// The search of one request over its own decoder rows: after each lockstep step it reads its rows' logits
/// and chooses the next token of each row and, for beam search, which row's history each row continues.
/// </summary>
internal abstract class TokenSearch
{
    protected TokenSearch(int rows, int maxTokens)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 1);
        Rows = rows;
        MaxTokens = maxTokens;
    }

    /// <summary>Decoder rows this search uses.</summary>
    public int Rows { get; }

    /// <summary>The most tokens it generates, <c>&lt;/s&gt;</c> included.</summary>
    public int MaxTokens { get; }

    /// <summary>Whether the search is done; its rows' further logits are ignored.</summary>
    public bool IsFinished { get; protected set; }

    /// <summary>The result: the chosen tokens without <c>&lt;s&gt;</c> and <c>&lt;/s&gt;</c>.</summary>
    public abstract IReadOnlyList<int> Tokens { get; }

    /// <summary>Creates the search <paramref name="options"/> describe for a decoder of <paramref name="maxPositions"/> positions.</summary>
    /// <param name="options">Validated options.</param>
    /// <param name="maxPositions">The decoder's longest sequence, <c>&lt;s&gt;</c> included.</param>
    /// <param name="random">The sampling source; a new unseeded one when null.</param>
    public static TokenSearch Create(TranslationDecodingOptions options, int maxPositions, Random? random = null)
    {
        var maxTokens = options.TokenLimit(maxPositions);
        if (options.BeamWidth > 1)
        {
            return new BeamSearch(options.BeamWidth, options.LengthPenalty, maxTokens);
        }

        return options.Temperature > 0
            ? new SamplingSearch(maxTokens, options.Temperature, random ?? new Random())
            : new GreedySearch(maxTokens);
    }

    /// <summary>Reads the logits of this search's rows and chooses the next step's input.</summary>
    /// <param name="logits"><c>[Rows, V]</c>, the next-token logits of each row.</param>
    /// <param name="vocabularySize"><c>V</c>.</param>
    /// <param name="nextTokens">Receives each row's next input token.</param>
    /// <param name="sourceRows">Receives, per row, the row (of this search, from 0) whose history it continues.</param>
    public abstract void Advance(ReadOnlySpan<float> logits, int vocabularySize, Span<long> nextTokens, Span<int> sourceRows);
}
