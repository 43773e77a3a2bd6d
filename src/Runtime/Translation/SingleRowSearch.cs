namespace SpeechServe.Runtime.Translation;

/// <summary>A search with one row that picks one token per step until <c>&lt;/s&gt;</c> or its token limit.</summary>
internal abstract class SingleRowSearch(int maxTokens) : TokenSearch(1, maxTokens)
{
    private readonly List<int> _tokens = [];
    private int _generated;

    public override IReadOnlyList<int> Tokens => _tokens;

    public override void Advance(ReadOnlySpan<float> logits, int vocabularySize, Span<long> nextTokens, Span<int> sourceRows)
    {
        var token = Choose(logits[..vocabularySize]);
        _generated++;
        if (token == TranslationVocabulary.Eos)
        {
            IsFinished = true;
        }
        else
        {
            _tokens.Add(token);
            IsFinished = _generated == MaxTokens;
        }

        nextTokens[0] = token;
        sourceRows[0] = 0;
    }

    /// <summary>The next token given its logits.</summary>
    protected abstract int Choose(ReadOnlySpan<float> logits);
}
