namespace SpeechServe.Runtime.Translation;

/// <summary>
/// Beam search over <c>width</c> rows (docs/decoding.md, "Translation decoding"). Each step extends every live
/// hypothesis by every token and keeps the best <c>width</c> extensions by <c>sum log p</c>; an extension by
/// <c>&lt;/s&gt;</c> ranked above the last kept one joins the finished list, scored
/// <c>sum log p / length^lengthPenalty</c> (length = generated tokens, <c>&lt;/s&gt;</c> included). The search stops
/// when the finished list holds <c>width</c> hypotheses, when the best finished score is at least every live
/// hypothesis's best reachable score, or at the token limit, where the live hypotheses are finished as they are.
/// </summary>
internal sealed class BeamSearch : TokenSearch
{
    private readonly double _lengthPenalty;
    private readonly List<Hypothesis> _finished = [];
    private List<Hypothesis> _live = [new([], 0, 0)];
    private double[] _logProbabilities = [];
    private int _generated;

    public BeamSearch(int width, double lengthPenalty, int maxTokens)
        : base(width, maxTokens)
    {
        _lengthPenalty = lengthPenalty;
    }

    public override IReadOnlyList<int> Tokens
    {
        get
        {
            var best = _finished.Count > 0 ? _finished[0] : _live[0];
            foreach (var hypothesis in _finished)
            {
                if (hypothesis.Score > best.Score)
                {
                    best = hypothesis;
                }
            }

            return best.Tokens;
        }
    }

    public override void Advance(ReadOnlySpan<float> logits, int vocabularySize, Span<long> nextTokens, Span<int> sourceRows)
    {
        _generated++;
        var candidates = Extensions(logits, vocabularySize);
        var live = new List<Hypothesis>(Rows);
        foreach (var (score, parent, token) in candidates)
        {
            if (live.Count == Rows)
            {
                break;
            }

            var hypothesis = _live[parent];
            if (token == TranslationVocabulary.Eos)
            {
                _finished.Add(new Hypothesis(hypothesis.Tokens, Normalised(score, _generated), hypothesis.Row));
                continue;
            }

            nextTokens[live.Count] = token;
            sourceRows[live.Count] = hypothesis.Row;
            live.Add(new Hypothesis([.. hypothesis.Tokens, token], score, live.Count));
        }

        for (var row = live.Count; row < Rows; row++)
        {
            nextTokens[row] = TranslationVocabulary.Eos;
            sourceRows[row] = row;
        }

        _live = live;
        if (_generated == MaxTokens)
        {
            _finished.AddRange(live.Select(h => h with { Score = Normalised(h.Score, _generated) }));
            IsFinished = true;
        }
        else
        {
            IsFinished = live.Count == 0 || _finished.Count >= Rows || BestFinishedBeatsEveryLive();
        }
    }

    /// <summary>Every live hypothesis extended by every token, best first (ties: earlier hypothesis, then lower id).</summary>
    private List<(double Score, int Parent, int Token)> Extensions(ReadOnlySpan<float> logits, int vocabularySize)
    {
        var candidates = new List<(double Score, int Parent, int Token)>(_live.Count * vocabularySize);
        for (var parent = 0; parent < _live.Count; parent++)
        {
            var hypothesis = _live[parent];
            LogSoftmax(logits.Slice(hypothesis.Row * vocabularySize, vocabularySize));
            for (var token = 0; token < vocabularySize; token++)
            {
                candidates.Add((hypothesis.Score + _logProbabilities[token], parent, token));
            }
        }

        // List.Sort is unstable; the index fields make the order total.
        candidates.Sort((a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score)
            : a.Parent != b.Parent ? a.Parent.CompareTo(b.Parent) : a.Token.CompareTo(b.Token));
        return candidates;
    }

    private void LogSoftmax(ReadOnlySpan<float> logits)
    {
        if (_logProbabilities.Length != logits.Length)
        {
            _logProbabilities = new double[logits.Length];
        }

        var max = double.NegativeInfinity;
        foreach (var logit in logits)
        {
            max = Math.Max(max, logit);
        }

        var sum = 0.0;
        foreach (var logit in logits)
        {
            sum += Math.Exp(logit - max);
        }

        var logSum = max + Math.Log(sum);
        for (var v = 0; v < logits.Length; v++)
        {
            _logProbabilities[v] = logits[v] - logSum;
        }
    }

    /// <summary>
    /// Log-probabilities are at most 0, so a live sum only falls; divided by <c>length^penalty</c> it is best at
    /// the shortest or the longest reachable length, whichever the sign of the penalty favours.
    /// </summary>
    private bool BestFinishedBeatsEveryLive()
    {
        if (_finished.Count == 0)
        {
            return false;
        }

        var bestFinished = _finished.Max(h => h.Score);
        return _live.All(h => bestFinished >= Math.Max(Normalised(h.Score, _generated + 1), Normalised(h.Score, MaxTokens)));
    }

    private double Normalised(double sum, int length) => _lengthPenalty == 0 ? sum : sum / Math.Pow(length, _lengthPenalty);

    /// <param name="Tokens">Generated tokens without <c>&lt;/s&gt;</c>.</param>
    /// <param name="Score">Live: <c>sum log p</c>; finished: the length-normalised score.</param>
    /// <param name="Row">The decoder row holding its history.</param>
    private sealed record Hypothesis(int[] Tokens, double Score, int Row);
}
